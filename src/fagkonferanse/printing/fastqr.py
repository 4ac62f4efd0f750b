"""QR codes for print runs: exactly the qrcode package's modules, several times faster.

A badge run makes thousands of codes, and the qrcode package spends about 1.5 ms on each (its
Reed–Solomon arithmetic works on polynomial objects, its bits are placed one call at a time) —
a sixth of the cost of a printed badge. This module makes the same code from the same parts:

* the function patterns, format and version information come from qrcode itself, once per
  version and mask (:func:`_template`);
* the data is always byte mode (what qrcode picks for any lower-case URL), error correction
  level M, with the smallest version that holds it and one fixed mask (any mask is valid; the
  best-mask search is most of qrcode's cost and buys nothing a printer needs);
* Reed–Solomon uses qrcode's Galois-field tables, with a multiplication table per generator
  coefficient, and the bits go straight to precomputed positions.

The tests compare the modules with qrcode's for hundreds of texts and decode the printed codes.
The PNG is 1-bit, one pixel per module, with the quiet zone, like :func:`fagkonferanse.qr.qr_png`.
"""

from __future__ import annotations

import base64
import struct
import zlib
from functools import lru_cache

from qrcode import QRCode
from qrcode.base import EXP_TABLE, LOG_TABLE, rs_blocks
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import MODE_8BIT_BYTE, length_in_bits, mask_func

from ..qr import QUIET_ZONE

MASK = 4
PAD_BYTES = (0xEC, 0x11)
MAX_VERSION = 40


class DataTooLong(ValueError):
    """The text does not fit the largest QR code."""


@lru_cache(maxsize=64)
def _capacity(version: int) -> tuple[tuple[tuple[int, int], ...], int]:
    """The version's blocks as ``(data codewords, error-correction codewords)`` and its data bits."""
    blocks = tuple((block.data_count, block.total_count - block.data_count)
                   for block in rs_blocks(version, ERROR_CORRECT_M))
    return blocks, sum(data for data, _ec in blocks) * 8


def version_for(length: int) -> int:
    """The smallest version whose level-M capacity holds ``length`` bytes in byte mode."""
    for version in range(1, MAX_VERSION + 1):
        if 4 + length_in_bits(MODE_8BIT_BYTE, version) + 8 * length <= _capacity(version)[1]:
            return version
    raise DataTooLong(f"{length} bytes do not fit in a QR code")


@lru_cache(maxsize=64)
def _template(version: int, mask: int) -> tuple[list[list[bool | None]], list[tuple[int, int, bool]]]:
    """The matrix with qrcode's function patterns and format information (None where data goes),
    and every data position in qrcode's placement order with its mask bit."""
    code = QRCode(version=version, error_correction=ERROR_CORRECT_M, mask_pattern=mask, border=0)
    size = code.modules_count = version * 4 + 17
    code.modules = [[None] * size for _ in range(size)]
    code.setup_position_probe_pattern(0, 0)
    code.setup_position_probe_pattern(size - 7, 0)
    code.setup_position_probe_pattern(0, size - 7)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    code.setup_type_info(False, mask)
    if version >= 7:
        code.setup_type_number(False)
    masked = mask_func(mask)
    positions = []
    row, step = size - 1, -1
    for column in range(size - 1, 0, -2):
        if column <= 6:
            column -= 1  # skip the vertical timing pattern
        while 0 <= row < size:
            for c in (column, column - 1):
                if code.modules[row][c] is None:
                    positions.append((row, c, bool(masked(row, c))))
            row += step
        row -= step
        step = -step
    return code.modules, positions


@lru_cache(maxsize=16)
def _generator_tables(ec_count: int) -> list[list[int]]:
    """For each coefficient of the Reed–Solomon generator (after the leading 1): x ↦ coefficient·x."""
    generator = [1]
    for i in range(ec_count):  # multiply by (x - α^i)
        factor = EXP_TABLE[i % 255]
        product = [0] * (len(generator) + 1)
        for j, coefficient in enumerate(generator):
            product[j] ^= coefficient
            if coefficient:
                product[j + 1] ^= EXP_TABLE[(LOG_TABLE[coefficient] + LOG_TABLE[factor]) % 255]
        generator = product

    def times(coefficient: int) -> list[int]:
        if not coefficient:
            return [0] * 256
        log = LOG_TABLE[coefficient]
        return [0] + [EXP_TABLE[(log + LOG_TABLE[x]) % 255] for x in range(1, 256)]

    return [times(coefficient) for coefficient in generator[1:]]


def _error_correction(data: list[int], ec_count: int) -> list[int]:
    tables = _generator_tables(ec_count)
    remainder = data + [0] * ec_count
    for i in range(len(data)):
        factor = remainder[i]
        if factor:
            for j, table in enumerate(tables, start=i + 1):
                remainder[j] ^= table[factor]
    return remainder[len(data):]


def _codewords(payload: bytes, version: int) -> list[int]:
    """Mode, length, data, terminator and padding, split into blocks with their error correction
    and interleaved, as the standard (and qrcode) orders them."""
    blocks, capacity = _capacity(version)
    count_bits = length_in_bits(MODE_8BIT_BYTE, version)
    value = (MODE_8BIT_BYTE << count_bits | len(payload)) << 8 * len(payload) | int.from_bytes(payload, "big")
    bits = 4 + count_bits + 8 * len(payload)
    padding = min(capacity - bits, 4)  # the terminator
    padding += -(bits + padding) % 8  # up to a whole byte
    value, bits = value << padding, bits + padding
    words = list(value.to_bytes(bits // 8, "big"))
    words += [PAD_BYTES[i % 2] for i in range(capacity // 8 - len(words))]
    data_blocks, ec_blocks, offset = [], [], 0
    for data_count, ec_count in blocks:
        block = words[offset:offset + data_count]
        offset += data_count
        data_blocks.append(block)
        ec_blocks.append(_error_correction(block, ec_count))
    interleaved = []
    for group in (data_blocks, ec_blocks):
        for i in range(max(len(block) for block in group)):
            interleaved.extend(block[i] for block in group if i < len(block))
    return interleaved


def qr_matrix(text: str, mask: int = MASK) -> list[list[bool]]:
    """The code's modules with the quiet zone (True is dark): qrcode's modules for the same text
    in byte mode, level M, the smallest version and ``mask``."""
    payload = text.encode("utf-8")
    version = version_for(len(payload))
    template, positions = _template(version, mask)
    rows = [row[:] for row in template]
    words = _codewords(payload, version)
    total = len(words) * 8
    for index, (row, column, flip) in enumerate(positions):
        dark = index < total and bool(words[index >> 3] >> (7 - (index & 7)) & 1)
        rows[row][column] = dark != flip
    blank = [False] * (len(rows) + 2 * QUIET_ZONE)
    edge = [False] * QUIET_ZONE
    return ([blank] * QUIET_ZONE + [edge + row + edge for row in rows] + [blank] * QUIET_ZONE)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_1bit(matrix: list[list[bool]]) -> bytes:
    """A greyscale 1-bit PNG of the matrix, one pixel per module (dark modules black)."""
    size = len(matrix)
    width_bytes = (size + 7) // 8
    raw = bytearray()
    for row in matrix:
        bits = 0
        for dark in row:
            bits = bits << 1 | (not dark)  # 1 is white
        raw.append(0)  # filter: none
        raw += (bits << (width_bytes * 8 - size)).to_bytes(width_bytes, "big")
    header = struct.pack(">IIBBBBB", size, size, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(bytes(raw), 9))
            + _chunk(b"IEND", b""))


def qr_png_data_uri(text: str) -> str:
    """The code as a ``data:`` URI of a 1-bit PNG, for print templates."""
    return "data:image/png;base64," + base64.b64encode(png_1bit(qr_matrix(text))).decode("ascii")
