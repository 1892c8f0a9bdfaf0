"""The Qt-free core: entities, the economic engine, conversion rules, parsers.

`evaluate` is loaded on first use so that importing a small module such as
`desktop.model.errors` (the CLI does, for every command) does not pull in numpy.
"""


def __getattr__(name):
    if name == "evaluate":
        from desktop.model.engine import evaluate

        return evaluate
    raise AttributeError(name)


__all__ = ["evaluate"]
