#!/usr/bin/env python3
"""Extract the Kubernetes OpenAPI schema kustomize embeds and print it as swagger JSON.

kustomize v5.5.0 (kyaml v0.18.1) compiles in the Kubernetes v1.21.2 OpenAPI document, as
gzip-compressed gnostic OpenAPIv2 protobuf (kyaml/openapi/kubernetesapi/v1_21_2). This
script finds that blob in a kubectl binary that bundles kustomize v5.5.0, decodes the
protobuf wire format, and prints the parts scripts/gen-kustomize-schema.py reads:
definitions (properties, $ref, items, vendor extensions) and paths (operation vendor
extensions), plus info.

    python3 scripts/extract-kustomize-openapi.py "$(readlink -f "$(command -v kubectl)")" \\
        > /tmp/kustomize-openapi.json

(On machines where `kubectl` is a dispatcher, pass the versioned binary it runs, e.g.
/usr/lib/google-cloud-sdk/bin/kubectl.1.32; `kubectl version --client` must print
Kustomize Version: v5.5.0.)
"""
import json
import re
import sys
import zlib

import yaml

# gnostic OpenAPIv2 field numbers (github.com/google/gnostic-models/openapiv2/OpenAPIv2.proto).
DOCUMENT_INFO, DOCUMENT_PATHS, DOCUMENT_DEFINITIONS = 2, 8, 9
INFO_TITLE, INFO_VERSION = 1, 2
NAMED_NAME, NAMED_VALUE = 1, 2
SCHEMA_REF, SCHEMA_ITEMS, SCHEMA_PROPERTIES, SCHEMA_EXTENSIONS = 1, 23, 25, 31
ITEMS_SCHEMA = 1
ANY_YAML = 2
PATH_OPERATIONS = {2: "get", 3: "put", 4: "post", 5: "delete", 6: "options", 7: "head", 8: "patch"}
OPERATION_EXTENSIONS = 13


def varint(data, i):
    result = shift = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def fields(data):
    """(field number, value) pairs of one message; nested messages stay bytes."""
    i = 0
    while i < len(data):
        key, i = varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(data, i)
        elif wire == 1:
            value, i = data[i : i + 8], i + 8
        elif wire == 5:
            value, i = data[i : i + 4], i + 4
        elif wire == 2:
            length, i = varint(data, i)
            value, i = data[i : i + length], i + length
        else:
            raise ValueError(f"unsupported wire type {wire}")
        yield number, value


def first(data, number):
    return next((value for n, value in fields(data) if n == number), None)


def text(data):
    return data.decode("utf-8")


def named(data):
    return text(first(data, NAMED_NAME)), first(data, NAMED_VALUE)


def extensions(data, number):
    out = {}
    for n, value in fields(data):
        if n == number:
            name, any_value = named(value)
            out[name] = yaml.safe_load(text(first(any_value, ANY_YAML) or b""))
    return out


def schema(data):
    out = {}
    ref = first(data, SCHEMA_REF)
    if ref:
        out["$ref"] = text(ref)
    items = first(data, SCHEMA_ITEMS)
    if items:
        item = first(items, ITEMS_SCHEMA)
        if item is not None:
            out["items"] = schema(item)
    props = first(data, SCHEMA_PROPERTIES)
    if props:
        out["properties"] = dict((name, schema(value)) for name, value in map(named, (v for _, v in fields(props))))
    out.update(extensions(data, SCHEMA_EXTENSIONS))
    return out


def document(data):
    info = first(data, DOCUMENT_INFO)
    definitions = {name: schema(value) for name, value in map(named, (v for _, v in fields(first(data, DOCUMENT_DEFINITIONS))))}
    paths = {}
    for _, entry in fields(first(data, DOCUMENT_PATHS)):
        path, item = named(entry)
        ops = {}
        for number, value in fields(item):
            if number in PATH_OPERATIONS:
                ops[PATH_OPERATIONS[number]] = extensions(value, OPERATION_EXTENSIONS)
        paths[path] = ops
    return {
        "swagger": "2.0",
        "info": {"title": text(first(info, INFO_TITLE)), "version": text(first(info, INFO_VERSION))},
        "paths": paths,
        "definitions": definitions,
    }


def embedded_documents(binary):
    for match in re.finditer(b"\x1f\x8b\x08", binary):
        try:
            blob = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(binary[match.start() : match.start() + 50_000_000])
        except zlib.error:
            continue
        if blob.startswith(b"\n\x032.0") and b"x-kubernetes-patch-merge-key" in blob:
            yield blob


found = list(embedded_documents(open(sys.argv[1], "rb").read()))
if len(found) != 1:
    sys.exit(f"expected one embedded OpenAPI document in {sys.argv[1]}, found {len(found)}")
json.dump(document(found[0]), sys.stdout, indent=1, sort_keys=True)
