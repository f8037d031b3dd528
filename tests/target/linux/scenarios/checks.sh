# SPDX-License-Identifier: Apache-2.0
# Scenario checks (kestrel.run=checks): smp, then fp, in one boot (each
# Linux boot under test costs seconds: the target tests share them). /init
# powers off once it returns.

sh /etc/kestrel/smp.sh
sh /etc/kestrel/fp.sh
