#!/usr/bin/python3
"""Validates JSON files against a JSON Schema (draft 2020-12) with Debian's python3-jsonschema, independently of .NET.

Usage: validate-json.py SCHEMA FILE... ; prints each error as 'FILE: PATH: MESSAGE' and exits 1 when any file is invalid.
"""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
failed = False
for path in sys.argv[2:]:
    # parse_constant refuses NaN/Infinity literals: they are not JSON.
    def refuse(name):
        raise ValueError(f"not JSON: {name}")
    document = json.load(open(path, encoding="utf-8"), parse_constant=refuse)
    for error in validator.iter_errors(document):
        failed = True
        print(f"{path}: {error.json_path}: {error.message}")
print("invalid" if failed else "valid")
sys.exit(1 if failed else 0)
