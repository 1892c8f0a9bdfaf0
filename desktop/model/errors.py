"""The one error type for bad input, everywhere in Rackshift.

`InputError` is raised by the engine's validation, the importers and the store when input
(a scenario, a CSV row, a YAML file, a project file, a field in an editor) is refused.
`field` names where the problem is (for example `sites[1].fleet[0].uptime_pct`, or
`line 7, column count`), `message` says what is wrong. `str(err)` is `"field: message"`,
which is what the CLI prints after `error: ` and the GUI shows in its dialog.
Any other exception escaping a parser is a bug.
"""
from __future__ import annotations


class InputError(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)
