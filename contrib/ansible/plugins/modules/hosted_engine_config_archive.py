#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hosted-engine developers
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
# SPDX-License-Identifier: Apache-2.0

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: hosted_engine_config_archive
short_description: Back up or restore the oVirt Hosted Engine configuration archive
version_added: "0.12.0"
description:
  - With I(state=backup), saves the configuration archive exactly as stored on the volume to
    I(path) on the host, and returns its checksum (the base). Fetch the file to the controller
    with M(ansible.builtin.fetch) for fleet-wide backups.
  - With I(state=restore), writes the archive at I(path) back to the volume with a
    compare-and-swap against the archive the volume holds when the module starts (or against
    I(base)), so that a change made meanwhile by somebody else is never overwritten; that
    fails with C(volume_changed=true). I(force) writes it whatever the volume holds, and
    whatever differs (keys the tool does not edit, a damaged volume).
  - C(changed) only when the file (backup) or the volume (restore) changed. Check mode writes
    nothing; diff mode shows the keys a restore changes.
options:
  state:
    description:
      - C(backup) or C(restore).
    type: str
    choices: [backup, restore]
    required: true
  path:
    description:
      - The archive file on the host (C(.tar), or C(.tar.gz)/C(.tgz) compressed).
    type: path
    required: true
  base:
    description:
      - For I(state=restore), the checksum (C(sha256:...)) the volume must still hold;
        default, what it holds when the module starts.
    type: str
  force:
    description:
      - For I(state=restore), write whatever the volume holds and whatever differs.
    type: bool
    default: false
extends_documentation_fragment:
  - ovirt_he.hosted_engine.hosted_engine
author:
  - hosted-engine developers (@hosted-engine)
"""

EXAMPLES = r"""
- name: Save the configuration archive
  ovirt_he.hosted_engine.hosted_engine_config_archive:
    state: backup
    path: /var/tmp/he-conf.tar
  register: saved

- name: Bring it to the controller
  ansible.builtin.fetch:
    src: /var/tmp/he-conf.tar
    dest: "backups/{{ inventory_hostname }}-he-conf.tar"
    flat: true

- name: Put it back
  ovirt_he.hosted_engine.hosted_engine_config_archive:
    state: restore
    path: /var/tmp/he-conf.tar
"""

RETURN = r"""
base:
  description: The checksum of the archive saved (backup), or written (restore).
  returned: success
  type: str
  sample: sha256:ca105406f892c8c4edadd75eaa92b659e91194161aac697c97deff34b5bcdb47
volume:
  description: The configuration volume.
  returned: success
  type: str
changes:
  description: What a restore changes (or would, in check mode), one line per key.
  returned: when I(state=restore)
  type: list
  elements: str
volume_changed:
  description: True when the restore failed because the volume no longer held its base.
  returned: failure
  type: bool
"""

import hashlib
import json
import os
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ovirt_he.hosted_engine.plugins.module_utils.hosted_engine import (
    DEFAULT_EXECUTABLE, require_this_tool)

CHANGED_BY_SOMEBODY_ELSE = 3


def location(module):
    arguments = []
    if module.params["volume"]:
        arguments += ["--volume", module.params["volume"]]
    if module.params["he_conf"]:
        arguments += ["--he-conf", module.params["he_conf"]]
    return arguments


def digest(path):
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def download(module, directory, suffix):
    """The archive as stored now, in a new file in `directory`, and what the tool said of it."""
    handle, temporary = tempfile.mkstemp(prefix=".hosted-engine-", suffix=suffix, dir=directory)
    os.close(handle)
    os.unlink(temporary)
    rc, stdout, stderr = module.run_command(
        [module.params["executable"], "--download-archive", temporary, "--json"] + location(module))
    if rc != 0:
        module.fail_json(msg=stderr.strip() or "hosted-engine --download-archive exited %d" % rc, rc=rc)
    return temporary, json.loads(stdout)


def fail(module, rc, stderr):
    message = stderr.strip() or "hosted-engine exited %d" % rc
    if rc == CHANGED_BY_SOMEBODY_ELSE:
        module.fail_json(
            msg="The configuration volume was changed by somebody else since its base was read (%s); nothing was written." % message,
            rc=rc, volume_changed=True)
    module.fail_json(msg=message, rc=rc, volume_changed=False)


def backup(module):
    path = module.params["path"]
    suffix = ".tar.gz" if path.endswith((".tar.gz", ".tgz")) else ".tar"
    temporary, answer = download(module, os.path.dirname(os.path.abspath(path)), suffix)
    try:
        same = os.path.exists(path) and digest(path) == digest(temporary)
        if not same and not module.check_mode:
            os.rename(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    module.exit_json(changed=not same, base=answer["base"], volume=answer["volume"], path=path)


def restore(module):
    path = module.params["path"]
    if not os.path.exists(path):
        module.fail_json(msg="%s does not exist; give the archive a backup saved" % path)
    arguments = [module.params["executable"], "--upload-archive", path] + location(module)
    volume = module.params["volume"]
    if module.params["force"]:
        arguments.append("--force")
    else:
        base = module.params["base"]
        if not base:
            temporary, answer = download(module, tempfile.gettempdir(), ".tar")
            os.unlink(temporary)
            base, volume = answer["base"], answer["volume"]
        arguments += ["--base", base]
    rc, stdout, stderr = module.run_command(arguments + ["--dry-run"])
    if rc != 0:
        fail(module, rc, stderr)
    changes = [line.strip() for line in stdout.splitlines()[1:] if line.strip()]
    changed = "already holds" not in stderr and bool(stdout.strip())
    result = dict(changed=changed, changes=changes, volume=volume, path=path)
    if module._diff:
        result["diff"] = dict(prepared="\n".join(changes) + ("\n" if changes else ""))
    if changed and not module.check_mode:
        rc, stdout, stderr = module.run_command(arguments)
        if rc != 0:
            fail(module, rc, stderr)
    module.exit_json(**result)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type="str", choices=["backup", "restore"], required=True),
            path=dict(type="path", required=True),
            base=dict(type="str"),
            force=dict(type="bool", default=False),
            volume=dict(type="path"),
            he_conf=dict(type="path"),
            executable=dict(type="path", default=DEFAULT_EXECUTABLE),
        ),
        mutually_exclusive=[("base", "force")],
        supports_check_mode=True,
    )
    if module.params["state"] == "backup":
        backup(module)
    require_this_tool(module)
    restore(module)


if __name__ == "__main__":
    main()
