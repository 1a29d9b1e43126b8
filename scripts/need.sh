# Sourced by the test and bench scripts: `need COMMAND PACKAGE` installs the Debian package that
# provides COMMAND when it is missing (as root, or through sudo), so a fresh machine runs every
# suite.
need() {
  command -v "$1" >/dev/null 2>&1 || apt_install "$2"
}

# `python3 -m venv` needs ensurepip, which Debian ships apart (python3-venv).
need_python_venv() {
  python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
}

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing $1" >&2
  $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq "$1" >/dev/null \
    || { echo "cannot install $1: install it, then run again" >&2; return 1; }
}
