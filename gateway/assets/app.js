// 东丽区科技创新规划看板: calls the stip REST API with the token the user pastes (kept in localStorage).
(function () {
  // Protobuf's JSON mapping leaves out zero numbers: a missing number next to hasActual/points is 0.
  'use strict';
  const STATUS = { ACHIEVED: '已达标', ON_TRACK: '正常推进', AT_RISK: '存在风险', NOT_REPORTED: '暂无数据' };
  const TREND = { UP: '↑ 上升', DOWN: '↓ 下降', FLAT: '→ 持平' };
  const SOURCE = { REPORTED: '单位填报', CULTIVATION: '企业培育库', EVALUATION: '载体评价' };
  const $ = (id) => document.getElementById(id);
  const state = { plans: [] };

  function token() { return localStorage.getItem('stip.token') || ''; }

  async function api(path) {
    const headers = { Accept: 'application/json' };
    if (token()) headers.Authorization = 'Bearer ' + token();
    const response = await fetch(path, { headers });
    const text = await response.text();
    let body = {};
    try { body = text ? JSON.parse(text) : {}; } catch (e) { body = { message: text }; }
    if (!response.ok) {
      const error = new Error(body.message || ('HTTP ' + response.status));
      error.status = response.status;
      throw error;
    }
    return { body, cache: response.headers.get('X-Cache') || '' };
  }

  function show(message) {
    $('message').hidden = !message;
    $('message').textContent = message || '';
  }

  function num(value, digits) {
    if (value === undefined || value === null || Number.isNaN(value)) return '—';
    return Number(value).toLocaleString('zh-CN', { maximumFractionDigits: digits === undefined ? 2 : digits });
  }
  function pct(value) { return value === undefined ? '—' : num(value * 100, 1) + '%'; }
  function esc(text) {
    return String(text === undefined ? '' : text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  }
  function badge(status) {
    const key = status || 'NOT_REPORTED';
    return '<span class="badge ' + esc(key) + '">' + esc(STATUS[key] || key) + '</span>';
  }
  function bar(attainment) {
    const width = Math.max(0, Math.min(100, (attainment || 0) * 100));
    return '<div class="bar"><span style="width:' + width.toFixed(0) + '%"></span></div>';
  }

  async function loadPlans() {
    const { body } = await api('/v1/plans?pageSize=50');
    state.plans = body.plans || [];
    $('plan').innerHTML = state.plans.map((p) => '<option value="' + esc(p.name) + '">' + esc(p.displayName || p.name) + '</option>').join('');
    fillYears();
  }

  function fillYears() {
    const plan = state.plans.find((p) => p.name === $('plan').value);
    if (!plan) return;
    const current = Math.min(plan.endYear, Math.max(plan.startYear, new Date().getFullYear() - 1));
    const years = [];
    for (let y = plan.startYear; y <= plan.endYear; y++) years.push(y);
    $('year').innerHTML = years.map((y) => '<option' + (y === current ? ' selected' : '') + '>' + y + '</option>').join('');
  }

  async function loadProgress() {
    const plan = $('plan').value;
    const year = $('year').value;
    if (!plan) return;
    const query = 'year=' + encodeURIComponent(year) + ($('submitted').checked ? '&includeSubmitted=true' : '');
    const { body, cache } = await api('/v1/' + plan + '/progress?' + query);
    $('source').textContent = '缓存：' + ({ HIT: '命中', MISS: '未命中', BYPASS: '未使用' }[cache] || cache);
    $('summary').innerHTML = [
      ['ACHIEVED', body.achieved], ['ON_TRACK', body.onTrack], ['AT_RISK', body.atRisk], ['NOT_REPORTED', body.noData],
    ].map(([key, count]) => '<div>' + badge(key) + '<b>' + (count || 0) + '</b></div>').join('');
    $('indicators').querySelector('tbody').innerHTML = (body.indicators || []).map((i) => {
      const f = i.forecast || {};
      return '<tr><td class="num">' + esc(i.number) + '</td><td>' + esc(i.displayName) + '</td><td>' + esc(i.unit) +
        '</td><td class="num">' + esc(i.targetText || num(i.target)) + '</td><td class="num">' + (i.hasActual ? num(i.actual || 0) : '—') +
        '</td><td class="num">' + (i.hasActual ? pct(i.attainment || 0) + bar(i.attainment) : '—') +
        '</td><td class="num">' + (i.hasActual ? num(i.gap || 0) + ' ' + esc(i.gapUnit || '') : '—') +
        '</td><td>' + badge(i.status) + '</td><td>' + esc(TREND[i.trend] || '') +
        '</td><td class="num">' + (f.points ? num(f.value || 0) + (f.lowConfidence ? '（样本少）' : '') : '—') +
        '</td><td class="muted">' + esc(SOURCE[i.source] || '') + '</td></tr>';
    }).join('');
    $('milestones').querySelector('tbody').innerHTML = (body.milestones || []).map((m) =>
      '<tr><td class="num">' + esc(m.keyTask) + '</td><td>' + esc(m.displayName) + '</td><td>' + esc(m.unit) +
      '</td><td class="num">' + num(m.target) + '</td><td class="num">' + (m.hasActual ? num(m.actual || 0) : '—') +
      '</td><td class="num">' + (m.hasActual ? pct(m.attainment || 0) + bar(m.attainment) : '—') + '</td><td>' + badge(m.status) + '</td></tr>'
    ).join('');
    loadStats(year);
  }

  function dl(rows) {
    return '<dl>' + rows.map(([label, value]) => '<dt>' + esc(label) + '</dt><dd>' + num(value, 0) + '</dd>').join('') + '</dl>';
  }

  async function loadStats(year) {
    try {
      const { body } = await api('/v1/tierStatistics?year=' + encodeURIComponent(year));
      $('tiers').className = '';
      $('tiers').innerHTML = dl([['国家高新技术企业', body.highTech], ['科技型中小企业', body.techSme], ['雏鹰企业', body.chuying],
        ['瞪羚企业', body.dengling], ['领军（含培育）企业', body.lingjun], ['科技型上市企业', body.listedTech]]);
    } catch (e) { $('tiers').className = 'muted'; $('tiers').textContent = '培育服务未部署或暂无数据（' + e.message + '）'; }
    try {
      const { body } = await api('/v1/carriers:statistics?year=' + encodeURIComponent(year));
      $('carriers').className = '';
      $('carriers').innerHTML = dl([['载体总数', body.carriers], ['市级大学科技园（期内新增）', body.municipalUniversityParks],
        ['国家级大学科技园（期内新增）', body.nationalUniversityParks]].concat((body.byKind || []).map((c) => [c.displayName || c.key, c.count])));
    } catch (e) { $('carriers').className = 'muted'; $('carriers').textContent = '评价服务未部署或暂无数据（' + e.message + '）'; }
  }

  async function start() {
    show('');
    if (!token()) { show('请先粘贴访问令牌（scripts/stip up 会打印一个管理员令牌）。'); return; }
    try {
      if (!state.plans.length) await loadPlans();
      await loadProgress();
    } catch (e) {
      show(e.status === 401 ? '令牌无效或已过期，请重新粘贴。' : '读取失败：' + e.message);
    }
  }

  $('token').value = token();
  $('login').addEventListener('submit', (event) => {
    event.preventDefault();
    localStorage.setItem('stip.token', $('token').value.trim());
    state.plans = [];
    start();
  });
  $('logout').addEventListener('click', () => { localStorage.removeItem('stip.token'); $('token').value = ''; show('已清除令牌。'); });
  $('plan').addEventListener('change', () => { fillYears(); start(); });
  $('year').addEventListener('change', start);
  $('submitted').addEventListener('change', start);
  $('refresh').addEventListener('click', start);
  start();
}());
