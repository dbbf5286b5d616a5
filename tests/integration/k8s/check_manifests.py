#!/usr/bin/env python3
"""Checks the k8s/ manifests: renders every kustomize target and asserts the suite's conventions.

Targets: k8s/base, every k8s/overlays/*, and every tests/integration/k8s/combos/* (the base with
components, since a Component cannot be rendered on its own). Every component must appear in at
least one combo.

Exit 0 when every check holds, 1 with one line per failing object otherwise, and 77 (ctest's
SKIP_RETURN_CODE) when python3's yaml module is missing; without kubectl only k8s/base is checked.

Usage: check_manifests.py [--root REPO] [--kubectl PATH]
"""
import argparse
import os
import shutil
import subprocess
import sys

SKIP = 77  # only when python3's yaml module is missing

# name -> (gRPC port, admin port, readiness health service name)
GRPC_SERVICES = {
    "indicators": (50051, 9091, "stip.indicators.v1.IndicatorService"),
    "cultivation": (50052, 9092, "stip.cultivation.v1.CultivationService"),
    "evaluation": (50053, 9093, "stip.evaluation.v1.EvaluationService"),
}
GATEWAY_PORT = 8080
MONITORING = ("namespace", "monitoring=true")
ANYONE = ("anyone",)

# The network-policies component, exactly: app -> port -> the set of allowed callers.
# A caller is ("pod", app) for a pod in the same namespace, MONITORING, or ANYONE.
EXPECTED_INGRESS = {
    "indicators": {50051: {("pod", "gateway")}, 9091: {MONITORING}},
    "cultivation": {50052: {("pod", "gateway"), ("pod", "indicators")}, 9092: {MONITORING}},
    "evaluation": {50053: {("pod", "gateway"), ("pod", "indicators")}, 9093: {MONITORING}},
    "redis": {6379: {("pod", "gateway"), ("pod", "indicators"), ("pod", "cultivation"), ("pod", "evaluation")}},
    "gateway": {GATEWAY_PORT: {ANYONE}},
}
# Environment variables that hold a listen address, not a peer to call.
BIND_VARS = {"STIP_GRPC_ADDR", "STIP_ADMIN_ADDR", "STIP_HTTP_ADDR"}


class Checker:
    def __init__(self):
        self.failures = []

    def fail(self, target, obj, message):
        self.failures.append(f"{target}: {obj}: {message}")

    def expect(self, cond, target, obj, message):
        if not cond:
            self.fail(target, obj, message)
        return cond


def ident(o):
    return f"{o.get('kind')}/{(o.get('metadata') or {}).get('name')}"


def all_containers(pod_spec):
    return list(pod_spec.get("initContainers") or []) + list(pod_spec.get("containers") or [])


def check_hardening(c, target, name, pod_spec):
    sc = pod_spec.get("securityContext") or {}
    c.expect(sc.get("runAsNonRoot") is True, target, name, "pod securityContext.runAsNonRoot must be true")
    for key in ("runAsUser", "runAsGroup", "fsGroup"):
        c.expect(sc.get(key) == 1000, target, name, f"pod securityContext.{key} must be 1000 (is {sc.get(key)!r})")
    c.expect((sc.get("seccompProfile") or {}).get("type") == "RuntimeDefault", target, name,
             "pod securityContext.seccompProfile.type must be RuntimeDefault")
    volumes = {v.get("name"): v for v in pod_spec.get("volumes") or []}
    for ctr in all_containers(pod_spec):
        where = f"{name} container {ctr.get('name')}"
        csc = ctr.get("securityContext") or {}
        c.expect(csc.get("allowPrivilegeEscalation") is False, target, where, "allowPrivilegeEscalation must be false")
        c.expect(csc.get("privileged") in (None, False), target, where, "privileged must not be true")
        c.expect(csc.get("readOnlyRootFilesystem") is True, target, where, "readOnlyRootFilesystem must be true")
        drop = ((csc.get("capabilities") or {}).get("drop")) or []
        c.expect("ALL" in drop, target, where, "capabilities.drop must contain ALL")
        c.expect(not ((csc.get("capabilities") or {}).get("add")), target, where, "capabilities.add must be empty")
        tmp = [m for m in ctr.get("volumeMounts") or [] if m.get("mountPath") == "/tmp"]
        c.expect(bool(tmp) and "emptyDir" in volumes.get(tmp[0].get("name"), {}), target, where,
                 "needs an emptyDir volume mounted at /tmp (the root filesystem is read-only)")
        res = ctr.get("resources") or {}
        for kind in ("requests", "limits"):
            for what in ("cpu", "memory"):
                c.expect(what in (res.get(kind) or {}), target, where, f"resources.{kind}.{what} is missing")


def check_graceful(c, target, where, pod_spec, ctr):
    grace = pod_spec.get("terminationGracePeriodSeconds")
    c.expect(grace == 20, target, where, f"terminationGracePeriodSeconds must be 20 (is {grace!r})")
    cmd = (((ctr.get("lifecycle") or {}).get("preStop") or {}).get("exec") or {}).get("command") or []
    c.expect(cmd[-2:] == ["/bin/sleep", "5"] or cmd == ["sleep", "5"], target, where,
             f"preStop must be exec sleep 5 (is {cmd!r})")
    c.expect("startupProbe" in ctr, target, where, "startupProbe is missing")


def server_container(c, target, name, pod_spec):
    for ctr in pod_spec.get("containers") or []:
        if ctr.get("name") == "server":
            return ctr
    c.fail(target, name, "no container named 'server'")
    return None


def env_of(ctr):
    return {e.get("name"): e for e in ctr.get("env") or []}


def check_grpc_service(c, target, dep, objects):
    app = dep["metadata"]["name"]
    name = ident(dep)
    port, admin, health = GRPC_SERVICES[app]
    spec = dep.get("spec") or {}
    pod_spec = spec["template"]["spec"]
    c.expect(spec.get("replicas") == 1, target, name, "SQLite is single-writer: replicas must be 1")
    c.expect((spec.get("strategy") or {}).get("type") == "Recreate", target, name,
             "SQLite is single-writer: strategy must be Recreate")
    ctr = server_container(c, target, name, pod_spec)
    if ctr is None:
        return
    where = f"{name} container server"
    ready = (ctr.get("readinessProbe") or {}).get("grpc")
    live = (ctr.get("livenessProbe") or {}).get("grpc")
    if c.expect(ready is not None, target, where, "readinessProbe must be a native grpc probe"):
        c.expect(ready.get("port") == port, target, where, f"readiness grpc port must be {port}")
        c.expect(ready.get("service") == health, target, where,
                 f"readiness grpc service must be {health} (is {ready.get('service')!r})")
    if c.expect(live is not None, target, where, "livenessProbe must be a native grpc probe"):
        c.expect(live.get("port") == port, target, where, f"liveness grpc port must be {port}")
        c.expect(live.get("service") in (None, ""), target, where, "liveness grpc service must be \"\"")
    ports = {p.get("name"): p.get("containerPort") for p in ctr.get("ports") or []}
    c.expect(ports.get("grpc") == port, target, where, f"container port 'grpc' must be {port}")
    c.expect(ports.get("metrics") == admin, target, where, f"container port 'metrics' must be {admin}")
    check_graceful(c, target, where, pod_spec, ctr)
    env = env_of(ctr)
    expected_env = {
        "STIP_GRPC_ADDR": f"0.0.0.0:{port}", "STIP_ADMIN_ADDR": f"0.0.0.0:{admin}",
        "STIP_DATA_DIR": "/var/lib/stip", "STIP_SEED_DIR": "/usr/share/stip/data",
        "STIP_AUTH_HS256_SECRET_FILE": "/etc/stip/secrets/hs256.key",
    }
    for key, value in expected_env.items():
        c.expect((env.get(key) or {}).get("value") == value, target, where, f"env {key} must be {value}")
    # The data directory is a PersistentVolumeClaim that exists in the same render.
    volumes = {v.get("name"): v for v in pod_spec.get("volumes") or []}
    data = [m for m in ctr.get("volumeMounts") or [] if m.get("mountPath") == "/var/lib/stip"]
    claim = (volumes.get(data[0].get("name"), {}).get("persistentVolumeClaim") or {}).get("claimName") if data else None
    if c.expect(claim is not None, target, where, "/var/lib/stip must be a persistentVolumeClaim"):
        c.expect(("PersistentVolumeClaim", claim) in objects, target, where, f"PersistentVolumeClaim {claim} is not rendered")
    check_secret_mount(c, target, where, pod_spec, ctr)


def check_secret_mount(c, target, where, pod_spec, ctr):
    volumes = {v.get("name"): v for v in pod_spec.get("volumes") or []}
    mounts = [m for m in ctr.get("volumeMounts") or [] if m.get("mountPath") == "/etc/stip/secrets"]
    secret = (volumes.get(mounts[0].get("name"), {}).get("secret") or {}) if mounts else {}
    c.expect(secret.get("secretName") == "stip-auth", target, where,
             "/etc/stip/secrets must mount the Secret stip-auth (created by the IT team)")
    rs = (env_of(ctr).get("STIP_AUTH_RS256_PUBLIC_KEY_FILE") or {}).get("value")
    if rs:
        mounted = any(rs.startswith(m.get("mountPath", "\0").rstrip("/") + "/") for m in ctr.get("volumeMounts") or [])
        c.expect(mounted, target, where, f"STIP_AUTH_RS256_PUBLIC_KEY_FILE={rs} is not under a mounted volume")


def check_gateway(c, target, dep, objects):
    name = ident(dep)
    pod_spec = dep["spec"]["template"]["spec"]
    ctr = server_container(c, target, name, pod_spec)
    if ctr is None:
        return
    where = f"{name} container server"
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz"), ("startupProbe", "/healthz")):
        http = (ctr.get(probe) or {}).get("httpGet") or {}
        c.expect(http.get("path") == path, target, where, f"{probe} must be httpGet {path}")
    ports = {p.get("name"): p.get("containerPort") for p in ctr.get("ports") or []}
    c.expect(ports.get("http") == GATEWAY_PORT, target, where, f"container port 'http' must be {GATEWAY_PORT}")
    check_graceful(c, target, where, pod_spec, ctr)
    check_secret_mount(c, target, where, pod_spec, ctr)
    hpa = objects.get(("HorizontalPodAutoscaler", "gateway"))
    if c.expect(hpa is not None, target, name, "the gateway needs a HorizontalPodAutoscaler"):
        c.expect(hpa.get("apiVersion") == "autoscaling/v2", target, ident(hpa), "must be autoscaling/v2")
        ref = hpa["spec"].get("scaleTargetRef") or {}
        c.expect(ref.get("kind") == "Deployment" and ref.get("name") == "gateway", target, ident(hpa),
                 "scaleTargetRef must be Deployment/gateway")
        cpu = [m for m in hpa["spec"].get("metrics") or []
               if m.get("type") == "Resource" and (m.get("resource") or {}).get("name") == "cpu"]
        c.expect(bool(cpu), target, ident(hpa), "must scale on CPU")
        c.expect(hpa["spec"].get("minReplicas", 1) <= hpa["spec"].get("maxReplicas", 0), target, ident(hpa),
                 "minReplicas must not exceed maxReplicas")
    replicas = dep["spec"].get("replicas", 1)
    pdb = objects.get(("PodDisruptionBudget", "gateway"))
    if replicas >= 2:
        if c.expect(pdb is not None, target, name, "a gateway with 2+ replicas needs a PodDisruptionBudget"):
            c.expect(pdb["spec"].get("minAvailable", 0) < replicas, target, ident(pdb),
                     "minAvailable must be below the replica count, or drains block")
    elif pdb is not None and "minAvailable" in pdb["spec"]:
        c.expect(pdb["spec"]["minAvailable"] < replicas, target, ident(pdb),
                 "minAvailable must be below the replica count, or drains block")


def check_env_addresses(c, target, dep, services):
    """Every STIP_*_ADDR that names a peer must name a rendered Service and one of its ports."""
    pod_spec = dep["spec"]["template"]["spec"]
    for ctr in pod_spec.get("containers") or []:
        for key, e in env_of(ctr).items():
            if not key.startswith("STIP_") or not key.endswith("_ADDR") or key in BIND_VARS:
                continue
            value = e.get("value")
            if value is None or value == "":
                continue  # valueFrom (a ConfigMap) or "" (the peer is off)
            host, _, port = value.rpartition(":")
            where = f"{ident(dep)} container {ctr.get('name')}"
            if "." in host or not host:
                continue  # an outside address
            svc = services.get(host)
            if c.expect(svc is not None, target, where, f"{key}={value}: no Service {host} in this render"):
                ports = {str(p.get("port")) for p in svc["spec"].get("ports") or []}
                c.expect(port in ports, target, where, f"{key}={value}: Service {host} has no port {port}")


def check_services(c, target, svc, deployments):
    name = ident(svc)
    for p in svc["spec"].get("ports") or []:
        c.expect(bool(p.get("name")), target, name, f"port {p.get('port')} has no name")
    selector = svc["spec"].get("selector") or {}
    matches = [d for d in deployments.values()
               if selector and all((d["spec"]["template"]["metadata"].get("labels") or {}).get(k) == v
                                   for k, v in selector.items())]
    c.expect(bool(matches), target, name, f"selector {selector} matches no Deployment's pods")


def policy_callers(c, target, pol):
    """app-agnostic: port -> set of callers allowed by one NetworkPolicy."""
    allowed = {}
    for rule in pol["spec"].get("ingress") or []:
        peers = rule.get("from")
        callers = set()
        if not peers:
            callers.add(ANYONE)
        for peer in peers or []:
            if "ipBlock" in peer:
                callers.add(("ipBlock", peer["ipBlock"].get("cidr")))
                continue
            ns = peer.get("namespaceSelector")
            pod = peer.get("podSelector")
            if ns is not None:
                labels = ns.get("matchLabels") or {}
                if labels == {"monitoring": "true"} and not ns.get("matchExpressions") and not pod:
                    callers.add(MONITORING)
                else:
                    callers.add(("namespace", repr(ns), repr(pod)))
            elif pod is not None:
                labels = pod.get("matchLabels") or {}
                if set(labels) == {"app"} and not pod.get("matchExpressions"):
                    callers.add(("pod", labels["app"]))
                else:
                    callers.add(("pods", repr(pod)))
        ports = rule.get("ports")
        if not ports:
            c.fail(target, ident(pol), "an ingress rule without ports opens every port")
            ports = [{"port": "*"}]
        for p in ports:
            c.expect(p.get("protocol", "TCP") == "TCP", target, ident(pol), "only TCP ports are expected")
            allowed.setdefault(p.get("port"), set()).update(callers)
    return allowed


def check_network_policies(c, target, objects, deployments):
    policies = [o for (kind, _), o in objects.items() if kind == "NetworkPolicy"]
    if not policies:
        return False
    deny = objects.get(("NetworkPolicy", "deny-all"))
    if c.expect(deny is not None, target, "NetworkPolicy/deny-all", "missing"):
        c.expect(deny["spec"].get("podSelector") in ({}, None) and not deny["spec"].get("ingress")
                 and not deny["spec"].get("egress")
                 and set(deny["spec"].get("policyTypes") or []) == {"Ingress", "Egress"},
                 target, ident(deny), "must select every pod and deny all ingress and egress")
    seen = {}
    for pol in policies:
        if pol is deny:
            continue
        sel = (pol["spec"].get("podSelector") or {}).get("matchLabels") or {}
        app = sel.get("app")
        if not c.expect(app in EXPECTED_INGRESS and set(sel) == {"app"}, target, ident(pol),
                        f"selects {sel}, not one of the apps {sorted(EXPECTED_INGRESS)}"):
            continue
        for port, callers in policy_callers(c, target, pol).items():
            seen.setdefault(app, {}).setdefault(port, set()).update(callers)
    for app, expected in EXPECTED_INGRESS.items():
        if ("Deployment", app) not in objects:
            continue
        got = seen.get(app, {})
        for port in sorted(set(expected) | set(got), key=str):
            want, have = expected.get(port, set()), got.get(port, set())
            c.expect(want == have, target, f"NetworkPolicy for app={app}",
                     f"port {port}: allows {sorted(map(str, have))}, expected exactly {sorted(map(str, want))}")
    for app in deployments:
        c.expect(app in seen, target, f"Deployment/{app}", "no NetworkPolicy admits any traffic to it")
    return True


def check_calls_allowed(c, target, deployments, objects):
    """With policies on, every peer a process is configured to call must admit that caller."""
    allowed = {}
    for (kind, _), pol in objects.items():
        if kind != "NetworkPolicy" or pol["metadata"]["name"] == "deny-all":
            continue
        app = ((pol["spec"].get("podSelector") or {}).get("matchLabels") or {}).get("app")
        for port, callers in policy_callers(Checker(), target, pol).items():
            allowed.setdefault(app, {}).setdefault(port, set()).update(callers)
    for caller, dep in deployments.items():
        for ctr in dep["spec"]["template"]["spec"].get("containers") or []:
            for key, e in env_of(ctr).items():
                value = e.get("value") or ""
                if key in BIND_VARS or not key.endswith("_ADDR") or ":" not in value:
                    continue
                host, _, port = value.rpartition(":")
                svc = objects.get(("Service", host))
                if svc is None:
                    continue
                target_port = next((p.get("targetPort", p.get("port")) for p in svc["spec"].get("ports") or []
                                    if str(p.get("port")) == port), None)
                app = (svc["spec"].get("selector") or {}).get("app")
                pod_port = resolve_port(deployments.get(app), target_port)
                callers = allowed.get(app, {}).get(pod_port, set())
                c.expect(("pod", caller) in callers or ANYONE in callers, target, f"Deployment/{caller}",
                         f"{key}={value}, but the network policies do not let {caller} reach {app}:{pod_port}")


def resolve_port(dep, target_port):
    if isinstance(target_port, int) or dep is None:
        return target_port
    for ctr in dep["spec"]["template"]["spec"].get("containers") or []:
        for p in ctr.get("ports") or []:
            if p.get("name") == target_port:
                return p.get("containerPort")
    return target_port


def check_images(c, target, dep):
    for ctr in all_containers(dep["spec"]["template"]["spec"]):
        image = ctr.get("image") or ""
        last = image.rsplit("/", 1)[-1]
        pinned = "@sha256:" in image or (":" in last and not last.endswith(":latest"))
        c.expect(pinned, target, f"{ident(dep)} container {ctr.get('name')}",
                 f"image {image!r} must carry a version tag or digest, never latest")


def check_render(c, target, docs, is_overlay):
    objects = {}
    for o in docs:
        if not isinstance(o, dict):
            continue
        key = (o.get("kind"), (o.get("metadata") or {}).get("name"))
        c.expect(key not in objects, target, ident(o), "rendered twice")
        objects[key] = o
        ns = (o.get("metadata") or {}).get("namespace")
        if is_overlay:
            c.expect(bool(ns), target, ident(o), "an overlay must set the namespace")
        elif target == "k8s/base":
            c.expect(ns is None, target, ident(o), "the base must be namespace-less")
    deployments = {name: o for (kind, name), o in objects.items() if kind == "Deployment"}
    services = {name: o for (kind, name), o in objects.items() if kind == "Service"}
    c.expect(bool(deployments), target, "render", "no Deployment rendered")
    for (kind, name), o in objects.items():
        if kind == "Secret":
            c.expect(not o.get("data") and not o.get("stringData"), target, ident(o),
                     "a Secret with data must never come from the repository")
        if kind == "ConfigMap" and is_overlay:
            for k, v in (o.get("data") or {}).items():
                c.expect("REDIS_HOST" not in str(v), target, ident(o),
                         f"{k} still holds the external-redis placeholder")
    for app, dep in deployments.items():
        name = ident(dep)
        c.expect((dep["metadata"].get("labels") or {}).get("app") == app, target, name, f"label app: {app} missing")
        c.expect((dep["spec"]["template"]["metadata"].get("labels") or {}).get("app") == app, target, name,
                 f"pod label app: {app} missing")
        pod_spec = dep["spec"]["template"]["spec"]
        check_hardening(c, target, name, pod_spec)
        check_images(c, target, dep)
        sa = pod_spec.get("serviceAccountName")
        c.expect(sa is not None and ("ServiceAccount", sa) in objects, target, name,
                 f"serviceAccountName {sa!r} is not a rendered ServiceAccount")
        if app in GRPC_SERVICES:
            check_grpc_service(c, target, dep, objects)
        elif app == "gateway":
            check_gateway(c, target, dep, objects)
        check_env_addresses(c, target, dep, services)
    for svc in services.values():
        check_services(c, target, svc, deployments)
    if check_network_policies(c, target, objects, deployments):
        check_calls_allowed(c, target, deployments, objects)
    return objects


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=os.path.normpath(os.path.join(here, "..", "..", "..")))
    parser.add_argument("--kubectl", default=shutil.which("kubectl"))
    args = parser.parse_args()
    try:
        import yaml  # Debian: python3-yaml
    except ImportError:
        print("SKIP: python3's yaml module is missing (Debian package python3-yaml)")
        return SKIP
    have_kubectl = bool(args.kubectl) and os.access(args.kubectl, os.X_OK)

    root = args.root
    c = Checker()

    # 1. Every YAML file in k8s/ parses, and none carries a Secret with data.
    for dirpath, _, files in os.walk(os.path.join(root, "k8s")):
        for f in sorted(files):
            if not f.endswith((".yaml", ".yml")):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, root)
            try:
                with open(path, encoding="utf-8") as fh:
                    docs = list(yaml.safe_load_all(fh))
            except yaml.YAMLError as e:
                c.fail(rel, "file", f"does not parse: {e}")
                continue
            for d in docs:
                if isinstance(d, dict) and d.get("kind") == "Secret" and (d.get("data") or d.get("stringData")):
                    c.fail(rel, ident(d), "a Secret with data must never be in the repository")
                if isinstance(d, dict) and d.get("secretGenerator"):
                    c.fail(rel, "kustomization", "secretGenerator puts secret values in the repository")

    # 2. Render every target and check it.
    targets = [("k8s/base", False)]
    for group, is_overlay in (("k8s/overlays", True), ("tests/integration/k8s/combos", False)):
        base = os.path.join(root, group)
        for d in sorted(os.listdir(base)) if os.path.isdir(base) else []:
            if os.path.exists(os.path.join(base, d, "kustomization.yaml")):
                targets.append((f"{group}/{d}", is_overlay))
    c.expect(any(t.startswith("k8s/overlays/") for t, _ in targets), "k8s/overlays", "render", "no overlay found")

    if not have_kubectl:
        # Without kubectl (a fresh Debian 12 has none that knows kustomize components), the base is still
        # checked: its resources are complete manifests, so concatenating them is the base's rendering.
        with open(os.path.join(root, "k8s/base/kustomization.yaml"), encoding="utf-8") as fh:
            k = yaml.safe_load(fh) or {}
        docs = []
        for resource in k.get("resources") or []:
            with open(os.path.join(root, "k8s/base", resource), encoding="utf-8") as fh:
                docs.extend(d for d in yaml.safe_load_all(fh) if d)
        objects = check_render(c, "k8s/base", docs, False)
        print(f"checked k8s/base without kubectl: {len(objects)} objects; overlays and components need "
              "`kubectl kustomize` and were not rendered")
        for line in c.failures:
            print(f"FAIL {line}")
        return 1 if c.failures else 0

    used_components = set()
    for target, is_overlay in targets:
        with open(os.path.join(root, target, "kustomization.yaml"), encoding="utf-8") as fh:
            k = yaml.safe_load(fh) or {}
        for comp in k.get("components") or []:
            used_components.add(os.path.normpath(os.path.join(root, target, comp)))
        proc = subprocess.run([args.kubectl, "kustomize", os.path.join(root, target)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            c.fail(target, "kubectl kustomize", proc.stderr.strip() or f"exit {proc.returncode}")
            continue
        try:
            docs = list(yaml.safe_load_all(proc.stdout))
        except yaml.YAMLError as e:
            c.fail(target, "rendered output", f"does not parse: {e}")
            continue
        objects = check_render(c, target, docs, is_overlay)
        if is_overlay:
            c.expect(any(kind == "NetworkPolicy" for kind, _ in objects), target, "render",
                     "overlays deploy with the network-policies component")
        print(f"rendered {target}: {len(objects)} objects")

    comp_root = os.path.join(root, "k8s", "components")
    for d in sorted(os.listdir(comp_root)) if os.path.isdir(comp_root) else []:
        path = os.path.normpath(os.path.join(comp_root, d))
        c.expect(path in used_components, f"k8s/components/{d}", "component",
                 "not rendered by any overlay or tests/integration/k8s/combos/*")

    for line in c.failures:
        print(f"FAIL {line}")
    if c.failures:
        print(f"{len(c.failures)} check(s) failed")
        return 1
    print(f"all checks passed on {len(targets)} rendered targets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
