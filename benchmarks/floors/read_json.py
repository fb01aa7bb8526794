"""Floor: read every JSON file in a folder and json.loads it (imports json, os, sys only)."""

import json
import os
import sys

with os.scandir(sys.argv[1]) as entries:
    for entry in entries:
        if entry.name.endswith(".json"):
            with open(entry.path, "rb") as handle:
                json.loads(handle.read())
