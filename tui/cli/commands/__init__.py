"""One module per ``povtui`` command, each with ``run(args, store) -> int`` (``index``:
``run(args)``), dispatched by :data:`tui.cli.main.COMMANDS`."""
