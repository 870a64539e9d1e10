"""The conformance runner: scenarios any ByteIT client can be judged by.

``byteit conformance run`` plays each scenario of ``conformance/scenarios/`` on
a scenario server (`byteit_server.scenario_player`), drives a client through an
adapter (one JSON line in, one out; see ``docs/client-behaviour.md``), then
judges what the client sent and what it answered.

- `_scenarios`: reading and checking scenario files against their JSON Schema.
- `_timing`: the scaled time constants handed to a client.
- `_adapter`: running an adapter command, with a time limit.
- `_judge`: comparing recorded requests and the outcome with a scenario's expectations.
- `runner`: the loop and the table of rules; `python_adapter`: our client's adapter.

Needs the ``conformance`` extra (jsonschema, PyYAML). ``import byteit`` never imports it.
"""
