"""The load stage: find a project's files and read their YAML, keeping where every value came
from (file, line, column), so that a problem found later can point at it."""

