#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: hosted-engine developers
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
# SPDX-License-Identifier: Apache-2.0

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: hosted_engine_shared_config
short_description: Get or set keys of the oVirt Hosted Engine configuration
version_added: "0.12.0"
description:
  - Reads or changes one key of the Hosted Engine configuration through the C(hosted-engine)
    command line of this collection's repository, which writes the configuration volume with
    a compare-and-swap under a lock (and a sanlock lease where sanlock runs), crash-safe, and
    this host's files atomically.
  - Reports C(changed) only when the value changed. In check mode the tool's C(--dry-run)
    checks the value and writes nothing. In diff mode the key's value before and after is
    shown, secrets masked.
  - With I(values), several keys are written in one write, all or none (C(hosted-engine
    --set-shared-config --set KEY=VALUE ...)); each file is checked with all of them set, so
    keys that only work together (C(network_test=tcp) with C(tcp_t_address) and C(tcp_t_port))
    are set together.
  - When somebody else changed the same key on the volume while the module ran (the tool's
    exit status 3), the task fails with a message saying so and C(volume_changed=true), so
    that a playbook can retry it with C(retries) and C(until).
options:
  key:
    description:
      - The key, as C(hosted-engine --set-shared-config) takes it (C(smtp-server),
        C(email.smtp-server), C(network_test), C(mem_size), C(local_maintenance), ...).
      - Exactly one of I(key) and I(values).
    type: str
  value:
    description:
      - The value to set. Required with I(key) and I(state=present).
    type: str
  values:
    description:
      - Several keys and their values, set in one write, all or none. They must share a place,
        the shared archive (C(broker) and C(he_shared) keys), or one of this host's files; vm
        keys are set one at a time. Only with I(state=present).
    type: dict
  type:
    description:
      - The configuration type holding the key. Needed for a key two types hold (every key of
        hosted-engine.conf is in C(he_local) and C(he_shared)).
    type: str
    choices: [broker, vm, he_shared, he_local, ha]
  state:
    description:
      - C(present) sets the key to I(value); C(query) only reads it.
    type: str
    choices: [present, query]
    default: present
  force:
    description:
      - Set a vm or storage connection key without a terminal to confirm on, or an identity key.
    type: bool
    default: false
  lock_timeout:
    description:
      - Seconds to wait for another writer's lock.
    type: float
    default: 30
extends_documentation_fragment:
  - ovirt_he.hosted_engine.hosted_engine
author:
  - hosted-engine developers (@hosted-engine)
notes:
  - A change to I(type=he_local) takes effect when ovirt-ha-broker and ovirt-ha-agent restart
    on the host; broker keys at the next notification; I(type=ha) within seconds; I(type=vm)
    when the agents next start the engine VM.
"""

EXAMPLES = r"""
- name: Send the HA notifications to the operations team
  ovirt_he.hosted_engine.hosted_engine_shared_config:
    key: destination-emails
    value: ops@example.com
    type: broker
  run_once: true
  register: result
  retries: 3
  until: result is not failed or not (result.volume_changed | default(false))

- name: Read the engine VM's memory
  ovirt_he.hosted_engine.hosted_engine_shared_config:
    key: mem_size
    type: vm
    state: query
  register: memory

- name: Switch this host's network test to tcp (the three keys go together)
  ovirt_he.hosted_engine.hosted_engine_shared_config:
    values:
      network_test: tcp
      tcp_t_address: 192.0.2.10
      tcp_t_port: 22
    type: he_local
"""

RETURN = r"""
key:
  description: The key as given.
  returned: with I(key)
  type: str
  sample: smtp-server
keys:
  description: Each key of I(values), with its type, value before (C(old)) and after (C(new)); secrets masked.
  returned: with I(values)
  type: list
  elements: dict
type:
  description: The type that holds the key.
  returned: success
  type: str
  sample: broker
value:
  description: The key's value (after the change, with I(state=present)); masked for a secret.
  returned: success
  type: str
  sample: mail.example.com
old:
  description: The value before (null when it was not set); masked for a secret.
  returned: when I(state=present)
  type: str
  sample: localhost
backups:
  description: Where the tool saved what the change replaced.
  returned: when changed and not in check mode
  type: list
  elements: str
volume_changed:
  description: True when the task failed because somebody else changed the volume meanwhile.
  returned: failure
  type: bool
rc:
  description: The tool's exit status.
  returned: always
  type: int
"""

import json

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ovirt_he.hosted_engine.plugins.module_utils.hosted_engine import (
    DEFAULT_EXECUTABLE, require_this_tool)

CHANGED_BY_SOMEBODY_ELSE = 3


def tool_arguments(module, command):
    arguments = [module.params["executable"], command]
    if module.params["values"]:
        for key, value in module.params["values"].items():
            arguments += ["--set", "%s=%s" % (key, "" if value is None else value)]
    else:
        arguments.append(module.params["key"])
        if command == "--set-shared-config":
            arguments.append(module.params["value"])
    if module.params["type"]:
        arguments += ["--type", module.params["type"]]
    if module.params["volume"]:
        arguments += ["--volume", module.params["volume"]]
    if module.params["he_conf"]:
        arguments += ["--he-conf", module.params["he_conf"]]
    return arguments + ["--json"]


def fail(module, rc, stderr, **extra):
    message = stderr.strip() or "hosted-engine exited %d" % rc
    if rc == CHANGED_BY_SOMEBODY_ELSE:
        module.fail_json(
            msg="The configuration volume was changed by somebody else while this task ran (%s); run the task again." % message,
            rc=rc, volume_changed=True, **extra)
    module.fail_json(msg=message, rc=rc, volume_changed=False, **extra)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            key=dict(type="str", no_log=False),
            value=dict(type="str"),
            values=dict(type="dict"),
            type=dict(type="str", choices=["broker", "vm", "he_shared", "he_local", "ha"]),
            state=dict(type="str", choices=["present", "query"], default="present"),
            volume=dict(type="path"),
            he_conf=dict(type="path"),
            force=dict(type="bool", default=False),
            lock_timeout=dict(type="float", default=30),
            executable=dict(type="path", default=DEFAULT_EXECUTABLE),
        ),
        mutually_exclusive=[("key", "values"), ("value", "values")],
        required_one_of=[("key", "values")],
        supports_check_mode=True,
    )
    key = module.params["key"]
    values = module.params["values"]
    if key and module.params["state"] == "present" and module.params["value"] is None:
        module.fail_json(msg="state=present with key needs value")
    if values and module.params["state"] != "present":
        module.fail_json(msg="values sets keys; read one key at a time with key and state=query")
    # A secret's value (hosted-engine.conf's iSCSI password) stays out of the task's output and
    # logs, as the tool keeps it out of its own.
    for name, value in ([(key, module.params["value"])] if key else list(values.items())):
        if value and "password" in name.lower():
            module.no_log_values.add(str(value))
    if module.params["state"] == "query":
        rc, stdout, stderr = module.run_command(tool_arguments(module, "--get-shared-config"))
        if rc != 0:
            fail(module, rc, stderr, key=key)
        answer = json.loads(stdout)
        module.exit_json(changed=False, key=key, type=answer["type"], value=answer["value"], rc=rc)

    require_this_tool(module)
    arguments = tool_arguments(module, "--set-shared-config") + ["--lock-timeout", str(module.params["lock_timeout"])]
    if module.params["force"]:
        arguments.append("--force")
    if module.check_mode:
        arguments.append("--dry-run")
    rc, stdout, stderr = module.run_command(arguments)
    if rc != 0:
        fail(module, rc, stderr, **(dict(key=key) if key else dict(keys=list(values))))
    answer = json.loads(stdout)
    if values:
        result = dict(changed=answer["changed"], keys=answer["keys"], backups=answer["backups"], rc=rc)
        if module._diff:
            def lines(pick):
                return "".join("%s: %s\n" % (entry["key"], pick(entry)) for entry in answer["keys"] if pick(entry) is not None)

            result["diff"] = dict(
                before=lines(lambda entry: entry["old"]),
                after=lines(lambda entry: entry["new"] if answer["changed"] else entry["old"]))
        module.exit_json(**result)
    result = dict(
        changed=answer["changed"], key=key, type=answer["type"], value=answer["new"], old=answer["old"],
        backups=answer["backups"], rc=rc)
    if module._diff:
        def shown(text):
            return "" if text is None else "%s: %s\n" % (key, text)

        after = answer["new"] if answer["changed"] else answer["old"]
        if answer["secret"] and answer["changed"]:
            # Both sides are masked; say that the secret changed all the same.
            after = "(secret, changed)"
        result["diff"] = dict(
            before=shown(answer["old"]), after=shown(after),
            before_header="%s (%s)" % (key, answer["type"]), after_header="%s (%s)" % (key, answer["type"]))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
