#!/usr/bin/env bash
# Builds the Python package from source (PEP 517 through maturin), then runs its pytest suite,
# `mypy --strict` on the examples (this folder's and examples/python) and `mypy.stubtest` on
# the .pyi stub against the built module, then builds the source distribution and installs it
# into a fresh venv, and runs the suite again under every other CPython 3.10+ the machine has.
# Needs only python3 (with venv/pip) and cargo.
# Reuses the workspace target/ so the core is compiled once for every language.
set -euo pipefail

root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
here="$root/bindings-python"
venv="${INSTASENT_PY_VENV:-$here/.venv}"

if [ ! -x "$venv/bin/python" ]; then
    source "$root/scripts/need.sh"
    need_python_venv
    python3 -m venv "$venv"
fi
py="$venv/bin/python"
# mypy pinned: stubtest gains checks between releases, and CI must not turn red on its own.
"$py" -m pip install --quiet --disable-pip-version-check "maturin>=1.9.4,<2" pytest "mypy==2.4.1"
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}" \
    "$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$here"

cd "$root"
"$py" -m pytest -q "$here/tests" "$@"
"$py" -m mypy --strict "$here/examples" "$root/examples/python" "$here/tests/typed_test.py" "$here/python/instasent/_async_input.py"
# The hand-written stub must not drift from the built module: names, parameters, defaults,
# @final. The allowlist holds only what a pyo3 module cannot have (type-only aliases).
"$py" -m mypy.stubtest instasent._instasent --allowlist "$here/stubtest-allowlist.txt"
# Its docstrings are the built module's (`python stubdocs.py` writes them).
"$py" "$here/stubdocs.py" --check
# The source distribution (what an index serves where no wheel fits) holds everything a build
# needs: installed into a fresh venv, it builds, sends through a sandbox, and ships its types.
sdist="$(mktemp -d)"
trap 'rm -rf "$sdist"' EXIT
"$venv/bin/maturin" sdist --out "$sdist/dist" --manifest-path "$here/Cargo.toml"
"$py" -m venv "$sdist/venv"
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}" \
    "$sdist/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$sdist"/dist/instasent-*.tar.gz
(cd "$sdist" && "$sdist/venv/bin/python" -c '
import pathlib, instasent
with instasent.Sandbox() as sb:
    assert sb.client().send("Acme", "+34600000000", "from the sdist").status == "enqueued"
package = pathlib.Path(instasent.__file__).parent
assert (package / "py.typed").exists() and (package / "_instasent.pyi").exists()
print("sdist: builds, sends, ships its types")
')
# The module is abi3, one build for CPython 3.10 and later: the suite runs again under each
# other CPython 3.10+ this machine has (on its PATH, or installed by pyenv), so a difference
# between versions (asyncio's changed from 3.10 to 3.11) shows here, not on a user's machine.
"$venv/bin/maturin" build --release --out "$sdist/wheel" --manifest-path "$here/Cargo.toml"
# `pythonX.Y` on the PATH, else one pyenv installed but did not activate (its shim refuses).
find_python() {
    local candidate
    for candidate in "$(command -v "python$1" || true)" \
        $(command -v pyenv >/dev/null && ls -d "$(pyenv root)/versions/$1".*/bin/"python$1" 2>/dev/null); do
        if [ -n "$candidate" ] && "$candidate" -c 'import venv' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
}
this_version="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
for version in 3.10 3.11 3.12 3.13 3.14; do
    other="$(find_python "$version")"
    if [ -z "$other" ] || [ "$version" = "$this_version" ]; then
        continue
    fi
    "$other" -m venv "$sdist/py$version"
    "$sdist/py$version/bin/python" -m pip install --quiet --disable-pip-version-check pytest "$sdist"/wheel/*.whl
    echo "CPython $version:"
    (cd "$root" && "$sdist/py$version/bin/python" -m pytest -q -p no:cacheprovider "$here/tests" "$@")
done
