"""Writing files: atomically, under build/ only (see `reportgen.layout`)."""
