"""Editors for the data the economics rest on: sites and halls, fleets, the equipment catalog,
and the imports (scenario, fleet CSV, NetBox device types). Thin widgets: every edit goes
through `edit_ops` onto the undo stack and into the store; every view re-reads the store
when `ctx.changed` says its part moved."""
