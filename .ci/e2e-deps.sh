#!/usr/bin/env bash
# Installs the Debian packages that the end-to-end tests (test/e2e, `npm run test:e2e`) drive:
# Kamailio (provider), SIPp (calls, floods), SIPVicious (scanner), baresip (phone), tshark/tcpdump
# (captures), nftables (kernel drops), iproute2 (network namespaces), chromium (the dashboard's browser
# test, driven by playwright-core; fonts-noto-cjk for its Japanese screenshots), and gcc + libre-dev to build
# the phone's tiny catch-all module (test/e2e/baresip/catchall.c). Needs root. Idempotent.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
# tshark pulls in wireshark-common, which asks whether non-root users may capture: answer "no".
echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections

apt-get update
apt-get install -y --no-install-recommends kamailio sip-tester sipvicious baresip-core tshark nftables iproute2 tcpdump chromium fonts-noto-cjk gcc libc6-dev libre-dev
