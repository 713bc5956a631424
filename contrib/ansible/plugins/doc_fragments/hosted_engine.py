# -*- coding: utf-8 -*-
# Copyright: hosted-engine developers
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
# SPDX-License-Identifier: Apache-2.0

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """Where the hosted-engine binary is, and how it finds the configuration volume."""

    DOCUMENTATION = r"""
options:
  volume:
    description:
      - The configuration volume (file or block device). Default, as the tool finds it, from
        this host's hosted-engine.conf.
    type: path
  he_conf:
    description:
      - This host's hosted-engine.conf (the he_local type, and how the volume is found).
    type: path
  executable:
    description:
      - The C(hosted-engine) binary of this repository, as installed by its RPM or
        C(scripts/install). Before a write the module checks that it is this tool (its
        C(--version)), since upstream's C(/usr/sbin/hosted-engine) ignores C(--dry-run).
    type: path
    default: /usr/local/sbin/hosted-engine
"""
