# -*- coding: utf-8 -*-
# Copyright: hosted-engine developers
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
# SPDX-License-Identifier: Apache-2.0
"""What both modules share: the tool they run, checked to be this collection's before a write."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# Where scripts/install and the hosted-engine-config RPM put it. Not a PATH lookup: under
# become, EL's sudo secure_path can find upstream's /usr/sbin/hosted-engine first, which ignores
# --dry-run, so check mode would write.
DEFAULT_EXECUTABLE = "/usr/local/sbin/hosted-engine"

VERSION = re.compile(r"^hosted-engine \d+\.\d+\.\d+(\s|$)")


def require_this_tool(module):
    """Fails the task unless `executable --version` answers as this collection's tool does."""
    executable = module.params["executable"]
    try:
        rc, stdout, stderr = module.run_command([executable, "--version"])
    except Exception as error:  # run_command raises when the file cannot be run
        rc, stdout, stderr = 127, "", str(error)
    if rc != 0 or not VERSION.match(stdout):
        said = (stdout or stderr).strip().splitlines()
        module.fail_json(
            msg="%s is not the hosted-engine of this collection (hosted-engine-config): its --version %s. Upstream's "
            "hosted-engine would ignore --dry-run and --json; install hosted-engine-config, or set executable to its path."
            % (executable, "said %r" % said[0] if said else "failed (exit %d)" % rc),
            rc=rc, volume_changed=False)
