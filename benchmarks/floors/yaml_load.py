"""Floor: parse a YAML file with libyaml's safe loader (imports yaml and sys only)."""

import sys

import yaml

with open(sys.argv[1], "rb") as handle:
    yaml.load(handle, Loader=yaml.CSafeLoader)
