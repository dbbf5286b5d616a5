#!/usr/bin/env python3
"""Keeps the inner shape (docs/architecture.md): what each layer may include, how long files and handlers are.

Layers under services/<svc>/: domain/ (plain C++: no gRPC, protobuf, SQLite, JWT or the other layers),
store/ (storage: no gRPC or protobuf; store/sqlite/ may use SQLite), grpc/ (the adapter). Exit 1 on a breach.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MAX_FILE_LINES = 500
MAX_HANDLER_LINES = 40  # body lines of a function in services/*/grpc/*.cc
MAX_FUNCTION_LINES = 80  # body lines of any other function under services/ and gateway/

EDGE = [r'^grpcpp/', r'^grpc/', r'\.pb\.h$', r'^google/protobuf/', r'^google/rpc/', r'^common/rpc\.h$',
        r'^common/grpc_status\.h$', r'^common/server\.h$', r'^common/telemetry\.h$', r'^common/flags\.h$']
STORAGE = [r'^sqlite3\.h$', r'^common/sqlite_db\.h$', r'^libpq', r'^pqxx/', r'/store/sqlite/', r'/store/postgres/']
FORBIDDEN = {
    'domain': EDGE + STORAGE + [r'^common/auth\.h$', r'^services/[a-z]+/grpc/', r'^jwt\.h$'],
    'store': EDGE + [r'^services/[a-z]+/grpc/'],
}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]')
# A class template's "template <typename T>" stands on its own line before "class": not a function either.
DECLARATION = re.compile(
    r'^(namespace|class|struct|enum|union|using|typedef|extern|template\s*<[^>]*>\s*(class|struct)\b|'
    r'template\s*<[^>]*>\s*$)')


def layer_of(path):
    parts = path.relative_to(ROOT).parts
    if len(parts) >= 3 and parts[0] == 'services' and parts[2] in FORBIDDEN:
        return parts[2]
    return None


def function_lengths(lines):
    """(start line, body lines) of each function defined at column 0 (Google style: the closing brace too)."""
    signature = body = None
    for number, line in enumerate(lines, 1):
        if body is None:
            if signature is None and re.match(r'[A-Za-z_~]', line) and not DECLARATION.match(line):
                signature = number
            if signature is not None:
                if line.rstrip().endswith(';') or line.rstrip().endswith('}'):
                    signature = None
                elif re.search(r'=\s*\{$', line.rstrip()):
                    signature = None  # a variable's initialiser, not a function
                elif line.rstrip().endswith('{'):
                    body = number
        elif line.startswith('}'):
            yield signature, number - body - 1
            signature = body = None


def main():
    problems = []
    sources = [p for d in ('services', 'gateway') for p in (ROOT / d).rglob('*') if p.suffix in ('.h', '.cc')]
    for path in sorted(sources):
        rel = path.relative_to(ROOT)
        lines = path.read_text(encoding='utf-8').splitlines()
        if len(lines) > MAX_FILE_LINES:
            problems.append(f'{rel}: {len(lines)} lines (at most {MAX_FILE_LINES})')
        layer = layer_of(path)
        for number, line in enumerate(lines, 1):
            match = INCLUDE.match(line)
            if layer and match and any(re.search(p, match.group(1)) for p in FORBIDDEN[layer]):
                problems.append(f'{rel}:{number}: the {layer} layer must not include {match.group(1)}')
        if path.suffix == '.cc':
            limit = MAX_HANDLER_LINES if '/grpc/' in str(rel) else MAX_FUNCTION_LINES
            for start, length in function_lengths(lines):
                if length > limit:
                    problems.append(f'{rel}:{start}: function body of {length} lines (at most {limit})')
    for problem in problems:
        print(problem)
    print(f'check_layers: {len(sources)} files, {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
