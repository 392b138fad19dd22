#!/usr/bin/env bash
# Install the Debian packages the project needs when they are missing and we are
# root (a fresh machine, or CI). Otherwise say which command would install them.
# Usage: scripts/prereqs.sh run|test
set -u
mode=${1:-run}
need=()
have() { command -v "$1" >/dev/null 2>&1; }

# WeasyPrint renders with Pango, and cuts the fonts it embeds with HarfBuzz's
# subsetting library (without it, with fontTools: each PDF several times slower).
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so' || need+=(libharfbuzz-subset0)
if [ "$mode" = test ]; then
  have chromium || [ -x /usr/bin/chromium ] || need+=(chromium)
  ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  have pdftoppm || need+=(poppler-utils)
  # A test extracts the strings of the code (makemessages runs xgettext).
  have xgettext || need+=(gettext)
  # The report's Word file is converted to PDF to look at its pages; Liberation
  # Serif stands in for Times New Roman with the same metrics.
  have libreoffice || have soffice || need+=(libreoffice-writer-nogui)
  fc-list 2>/dev/null | grep -qi 'Liberation Serif' || need+=(fonts-liberation2)
fi
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && have apt-get; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || echo "apt-get could not install: ${need[*]}"
else
  echo "Missing Debian packages: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}"
fi
exit 0
