#!/bin/sh
# PDF certificates (docs/pdf-certificate.md) are set in DejaVu Sans (Debian: fonts-dejavu-core); the tests
# also extract, read and render them with independent tools (Debian: poppler-utils: pdfdetach, pdftotext,
# pdftoppm). Installs what is missing when this user may install packages.
#   sh scripts/ensure-pdf-tools.sh          the font and the tools (make test): what is missing fails
#   sh scripts/ensure-pdf-tools.sh --font   the font only (make demo): if missing, a warning
set -e
font_found() {
  dir=${VC_PDF_FONT_DIR:-/usr/share/fonts/truetype/dejavu}
  [ -f "$dir/DejaVuSans.ttf" ] && [ -f "$dir/DejaVuSans-Bold.ttf" ] && return 0
  command -v fc-match >/dev/null 2>&1 && fc-match -f '%{file}' 'DejaVu Sans' | grep -q 'DejaVuSans.ttf$'
}
missing=""
font_found || missing="fonts-dejavu-core"
if [ "$1" != "--font" ]; then
  for tool in pdfdetach pdftotext pdftoppm; do
    command -v "$tool" >/dev/null 2>&1 || { missing="${missing:+$missing }poppler-utils"; break; }
  done
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's $missing for the PDF certificates" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
  echo "needed for PDF certificates: $missing (run 'sudo apt-get install $missing')" >&2
  [ "$1" = "--font" ] && exit 0  # the demo still starts; its PDF downloads then say the font is missing
  exit 1
fi
