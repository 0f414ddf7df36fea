#!/usr/bin/env bash
# Installs a real VS Code for tests and the demo: code-server 4.100.3 (= VS Code 1.100.3, the
# newest on Node 20) from npm into .cache/code-server (git-ignored), plus Debian's Chromium
# and the libraries its native modules build against. Idempotent: a finished install is
# skipped in a second. VS Code desktop cannot be downloaded on these machines; this can.
# Why each odd step: see ../shared/e2e-recipe.md (code-server's own postinstall refuses to
# run as root under npm 11 and downloads ripgrep from GitHub, so its steps are done here).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="$PWD/.cache/code-server"
VSCODE="$DIR/node_modules/code-server/lib/vscode"
STAMP="$DIR/.installed-4.100.3"

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v rg >/dev/null || need_apt+=(ripgrep)
for pkg in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "setup-code-server: missing Debian packages: ${need_apt[*]} (apt-get install them as root)" >&2
    exit 1
  fi
  echo "setup-code-server: installing ${need_apt[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_apt[@]}"
fi

if [ -f "$STAMP" ]; then exit 0; fi
echo "setup-code-server: installing code-server 4.100.3 into .cache/code-server (about 90 s)"
rm -rf "$DIR" && mkdir -p "$DIR"
export npm_config_nodedir=/usr # node-gyp uses /usr/include/node: no header download
quiet() { "$@" >>"$DIR/install.log" 2>&1 || { echo "setup-code-server: failed: $* (see $DIR/install.log)" >&2; exit 1; }; }
echo '{"name":"cs-host","private":true}' >"$DIR/package.json"
(cd "$DIR" && quiet npm install --no-audit --no-fund --ignore-scripts code-server@4.100.3 && quiet npm rebuild argon2)
(cd "$VSCODE" && quiet npm install --omit=dev --no-audit --no-fund --ignore-scripts &&
  npm_config_yes=true quiet npm rebuild kerberos node-pty @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog)
mkdir -p "$VSCODE/node_modules/@vscode/ripgrep/bin"
ln -sfn /usr/bin/rg "$VSCODE/node_modules/@vscode/ripgrep/bin/rg"
ln -sfn node_modules "$VSCODE/node_modules.asar"
(cd "$VSCODE/bin/remote-cli" && ln -sfn code-linux.sh code-server)
(cd "$VSCODE/bin/helpers" && ln -sfn browser-linux.sh browser.sh)
(cd "$VSCODE/extensions" && quiet npm install --omit=dev --no-audit --no-fund --ignore-scripts)
(cd "$VSCODE" && node -e 'for (const m of ["kerberos","node-pty","@vscode/spdlog","@vscode/deviceid","native-watchdog","@parcel/watcher"]) require(m)') \
  || { echo "setup-code-server: a native module did not build (see $DIR/install.log)" >&2; exit 1; }
touch "$STAMP"
echo "setup-code-server: ready"
