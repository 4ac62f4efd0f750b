"""Sanitising an uploaded SVG: drawing elements stay, everything that can run or reach out goes.

An SVG is a document, not a picture: opened at its own address it runs ``<script>``, ``onload=``
and ``javascript:`` links with the site's cookies, and it can fetch other addresses (``href``,
CSS ``url()`` and ``@import``, external entities). So an uploaded plan or logo is parsed and
written out again from an allowlist: SVG drawing elements and presentation attributes only,
references only to ``#ids`` inside the file (and ``data:`` raster images on ``<image>``), CSS
only as declarations without at-rules or foreign ``url()``. Entity declarations are refused
outright (the billion-laughs bomb and external entities both need them); comments, processing
instructions and the DOCTYPE are not written back. The image is also served with a CSP that
forbids scripts, so a hole here alone is not enough (see :mod:`.views`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.parsers import expat

import tinycss2

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
MAX_BYTES = 3 * 1024 * 1024

ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "title", "desc", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "text", "tspan", "textPath", "linearGradient", "radialGradient", "stop",
    "pattern", "clipPath", "mask", "marker", "image", "style", "filter", "feBlend", "feColorMatrix",
    "feComponentTransfer", "feComposite", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG",
    "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology", "feOffset", "switch",
}
# Kept as a plain group: its children are drawing, its link is dropped.
UNWRAPPED = {"a"}

ATTRIBUTES = {
    "id", "class", "style", "transform", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
    "fx", "fy", "fr", "width", "height", "d", "points", "viewBox", "preserveAspectRatio", "pathLength",
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity",
    "font-family", "font-size", "font-weight", "font-style", "font-variant", "font-stretch",
    "text-anchor", "dominant-baseline", "alignment-baseline", "baseline-shift", "letter-spacing",
    "word-spacing", "text-decoration", "writing-mode", "dx", "dy", "rotate", "textLength",
    "lengthAdjust", "startOffset", "offset", "stop-color", "stop-opacity", "gradientUnits",
    "gradientTransform", "spreadMethod", "patternUnits", "patternContentUnits", "patternTransform",
    "clipPathUnits", "clip-path", "clip-rule", "mask", "maskUnits", "maskContentUnits", "marker-start",
    "marker-mid", "marker-end", "markerWidth", "markerHeight", "markerUnits", "refX", "refY", "orient",
    "display", "visibility", "color", "overflow", "vector-effect", "shape-rendering", "text-rendering",
    "image-rendering", "color-interpolation", "color-interpolation-filters", "filter", "filterUnits",
    "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode", "operator", "k1", "k2", "k3", "k4",
    "type", "values", "tableValues", "slope", "intercept", "amplitude", "exponent", "flood-color",
    "flood-opacity", "radius", "version", "paint-order", "mix-blend-mode", "isolation", "lang", "href",
    "xml:space",
}
LINKING = {"href"}  # checked for where they point
# CSS functions a drawing needs; url() is checked separately (only #ids), every other one goes.
CSS_FUNCTIONS = {"rgb", "rgba", "hsl", "hsla", "calc", "url", "translate", "translatex", "translatey",
                 "rotate", "scale", "matrix", "skewx", "skewy"}
DATA_IMAGE = re.compile(r"^data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$")
LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px|pt|mm|cm|in)?\s*$")
UNITS_PER_PX = {None: 1.0, "px": 1.0, "pt": 4 / 3, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}


class SvgRefused(ValueError):
    """Not an SVG this site will keep: ``reason`` says why ("size", "xml", "entities", "not svg",
    "no size")."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CleanSvg:
    data: bytes
    width: int
    height: int
    removed: tuple[str, ...]  # what was taken out, for the organiser ("script", "onload" …)


def sanitise_svg(raw: bytes) -> CleanSvg:
    """The SVG in ``raw`` with only drawing left in it, and its size; SvgRefused if it is none."""
    if len(raw) > MAX_BYTES:
        raise SvgRefused("size")
    root = _parse(raw)
    if root.tag != f"{{{SVG}}}svg":
        raise SvgRefused("not svg")
    removed: list[str] = []
    _clean_attributes(root, "svg", removed)
    _clean(root, removed)
    width, height = intrinsic_size(root)
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return CleanSvg(data, width, height, tuple(dict.fromkeys(removed)))


def _parse(raw: bytes) -> ET.Element:
    """The document's elements, read by expat with every entity declaration refused."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")

    def name(raw_name: str) -> str:
        return "{" + raw_name if "}" in raw_name else raw_name

    def refuse(*_args) -> None:
        raise SvgRefused("entities")

    parser.StartElementHandler = lambda tag, attributes: builder.start(
        name(tag), {name(key): value for key, value in attributes.items()})
    parser.EndElementHandler = lambda tag: builder.end(name(tag))
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    try:
        parser.Parse(raw, True)
        return builder.close()
    except SvgRefused:
        raise
    except (expat.ExpatError, ValueError, AssertionError) as error:
        raise SvgRefused("xml") from error


def _clean(element: ET.Element, removed: list[str]) -> None:
    for child in list(element):
        name = _local_name(child.tag) if isinstance(child.tag, str) and child.tag.startswith(f"{{{SVG}}}") else None
        if name in UNWRAPPED:
            child.tag = f"{{{SVG}}}g"
            removed.append(name)
        elif name not in ELEMENTS:
            element.remove(child)
            removed.append(name or _local_name(str(child.tag)))
            continue
        elif name == "style":
            child.text = clean_stylesheet(child.text or "", removed)
            for grandchild in list(child):
                child.remove(grandchild)
        _clean_attributes(child, name or "g", removed)
        _clean(child, removed)


def _clean_attributes(element: ET.Element, name: str, removed: list[str]) -> None:
    for key, value in list(element.attrib.items()):
        local = _attribute_name(key)
        keep = local in ATTRIBUTES
        if keep and local in LINKING:
            keep = value.strip().startswith("#") or (name == "image" and bool(DATA_IMAGE.match(value.strip())))
        elif keep and local == "style":
            cleaned = clean_declarations(value, removed)
            if cleaned != value:
                if cleaned:
                    element.set(key, cleaned)
                else:
                    del element.attrib[key]
                continue
        elif keep and not _value_is_safe(value):
            keep = False
        if not keep:
            del element.attrib[key]
            removed.append(local or key)
        elif key != local and local == "href":
            del element.attrib[key]  # xlink:href is written as SVG 2's plain href
            element.set("href", value.strip())


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute_name(key: str) -> str | None:
    """The attribute's name if it is an SVG one (no namespace), xlink:href or xml:space/lang."""
    if not key.startswith("{"):
        return key
    namespace, local = key[1:].split("}", 1)
    if namespace == XLINK and local == "href":
        return "href"
    if namespace == XML and local in ("space", "lang"):
        return "lang" if local == "lang" else "xml:space"
    return None


def _value_is_safe(value: str) -> bool:
    """A presentation attribute's value: no url() but to #ids, no function but the drawing ones."""
    if "url" not in value.lower() and "(" not in value and ":" not in value:
        return True
    return _tokens_are_safe(tinycss2.parse_component_value_list(value))


def clean_declarations(text: str, removed: list[str]) -> str:
    """A ``style`` attribute with the unsafe declarations dropped."""
    kept = []
    for declaration in tinycss2.parse_blocks_contents(text, skip_whitespace=True, skip_comments=True):
        if declaration.type != "declaration":
            removed.append("css")
            continue
        if declaration.lower_name in ("behavior", "-moz-binding") or not _tokens_are_safe(declaration.value):
            removed.append(f"css {declaration.lower_name}")
            continue
        value = tinycss2.serialize(declaration.value).strip()
        kept.append(f"{declaration.name}:{value}{' !important' if declaration.important else ''}")
    return ";".join(kept)


def clean_stylesheet(text: str, removed: list[str]) -> str:
    """A ``<style>`` sheet with its at-rules (``@import``, ``@font-face`` …) and unsafe
    declarations dropped; selectors are kept as written."""
    rules = []
    for rule in tinycss2.parse_stylesheet(text, skip_whitespace=True, skip_comments=True):
        if rule.type != "qualified-rule":
            removed.append(f"@{getattr(rule, 'lower_at_keyword', 'css')}")
            continue
        selector = tinycss2.serialize(rule.prelude).strip()
        if "<" in selector or not _tokens_are_safe(rule.prelude):
            removed.append("css selector")
            continue
        body = clean_declarations(tinycss2.serialize(rule.content), removed)
        rules.append(f"{selector}{{{body}}}")
    return "\n".join(rules)


def _tokens_are_safe(tokens) -> bool:
    for token in tokens:
        if token.type == "url":
            if not token.value.strip().startswith("#"):
                return False
        elif token.type == "function":
            if token.lower_name not in CSS_FUNCTIONS:
                return False
            if token.lower_name == "url":
                target = "".join(t.value for t in token.arguments if t.type in ("string", "ident", "literal"))
                if not target.strip().startswith("#"):
                    return False
            if not _tokens_are_safe(token.arguments):
                return False
        elif token.type in ("() block", "[] block", "{} block"):
            if not _tokens_are_safe(token.content):
                return False
        elif token.type == "ident" and token.lower_value.startswith(("javascript", "expression")):
            return False
        elif token.type == "string" and "javascript:" in token.value.lower().replace(" ", ""):
            return False
        elif token.type == "error":
            return False
    return True


def intrinsic_size(root: ET.Element) -> tuple[int, int]:
    """The drawing's size in CSS pixels: from width and height, else from the viewBox."""
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = [float(part) for part in re.split(r"[\s,]+", (root.get("viewBox") or "").strip()) if part] \
        if re.fullmatch(r"[\s,0-9.eE+-]*", root.get("viewBox") or "") else []
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        if width and not height:
            height = width * box[3] / box[2]
        elif height and not width:
            width = height * box[2] / box[3]
        elif not (width and height):
            width, height = box[2], box[3]
    if not (width and height) or width < 1 or height < 1:
        raise SvgRefused("no size")
    return round(width), round(height)


def _length(value: str | None) -> float | None:
    match = LENGTH.match(value or "")
    if match is None:
        return None
    return float(match.group(1)) * UNITS_PER_PX[match.group(2)]
