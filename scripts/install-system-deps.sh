#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Argus and its tests need, skipping those already installed (run as root).
set -euo pipefail
PKGS=(ffmpeg util-linux
  # tests: RTSP test cameras (GStreamer RTSP server), headless Chromium for console tests, gpsd/gpsfake, fonts for burnt-in text and Chinese text in console screenshots
  chromium gpsd gpsd-clients python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-tools
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly fonts-dejavu-core fonts-wqy-zenhei
  # tests: the audit chain is tampered with through the sqlite3 command line; LDAP sign-in against a real slapd
  sqlite3 slapd ldap-utils
  # tests: SIPp drives GB/T 28181 registration (wrong password, malformed messages, a flood of REGISTERs)
  sip-tester)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=180 update -q
apt-get -o DPkg::Lock::Timeout=180 install -y -q --no-install-recommends "${missing[@]}"
