"""A corpus of hostile and odd files, built in code: what attackers and broken phones upload.

`REFUSED` files must be answered with a 4xx and leave nothing stored; `POLYGLOTS` are valid images
carrying a second payload, which may be accepted only if what is stored no longer carries it;
`ODD_BUT_VALID` are real images in unusual encodings that must be accepted.
"""

import io
import struct
import zlib

import numpy as np
from PIL import Image

PAYLOAD = b"<script>alert('polyglot')</script><?php system($_GET['c']); ?>"
HUGE_SIDE = 30000


def image_bytes(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def photo(size=(96, 64)):
    """A small picture with detail, so every encoder has real work to do."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    return Image.merge("RGB", (image.getchannel(0), image.getchannel(0).rotate(90), Image.new("L", size, 90)))


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_from_chunks(width, height, chunks, bit_depth=8, colour_type=2):
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + b"".join(png_chunk(kind, data) for kind, data in chunks)
        + png_chunk(b"IEND", b"")
    )


def png_bomb(side=HUGE_SIDE):
    """A real 1-bit PNG of side×side black pixels: ~110 KB that would decode to ~900 megapixels."""
    row = b"\x00" * (1 + (side + 7) // 8)
    compressor = zlib.compressobj(9)
    compressed = b"".join(compressor.compress(row * 1000) for _ in range(side // 1000)) + compressor.flush()
    return png_from_chunks(side, side, [(b"IDAT", compressed)], bit_depth=1, colour_type=0)


def jpeg_claiming(width, height):
    """A real JPEG whose frame header (SOF0) claims another size."""
    data = bytearray(image_bytes(photo(), "JPEG", quality=80))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def webp_claiming(width, height):
    """An extended WebP header (VP8X) announcing a canvas of width×height."""
    vp8x = b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    body = b"WEBP" + b"VP8X" + struct.pack("<I", len(vp8x)) + vp8x
    return b"RIFF" + struct.pack("<I", len(body)) + body


def corrupted(data, start):
    """The bytes with a run in the middle inverted (checksums and compressed streams break)."""
    middle = bytes(b ^ 0xFF for b in data[start : start + 64])
    return data[:start] + middle + data[start + 64 :]


def jpeg_with_segment(marker, payload):
    """A real JPEG with one extra segment (APPn or COM) right after the start-of-image marker."""
    data = image_bytes(photo(), "JPEG", quality=80)
    return data[:2] + marker + struct.pack(">H", len(payload) + 2) + payload + data[2:]


def png_text_bomb():
    """A PNG whose compressed text chunk inflates to 64 MB."""
    text = b"Comment\x00\x00" + zlib.compress(b"A" * (64 * 1024 * 1024), 9)
    raw_row = b"\x00" + b"\x80" * 3
    return png_from_chunks(1, 1, [(b"zTXt", text), (b"IDAT", zlib.compress(raw_row))])


def refused_files():
    """name -> bytes of files that are not usable images."""
    png = image_bytes(photo(), "PNG")
    jpeg = image_bytes(photo(), "JPEG", quality=80)
    webp = image_bytes(photo(), "WEBP", quality=80)
    return {
        "empty file": b"",
        "one byte": b"\x89",
        "png signature only": png[:8],
        "truncated png": png[: len(png) // 2],
        "truncated jpeg": jpeg[: len(jpeg) // 3],
        "truncated webp": webp[: len(webp) // 2],
        "png with corrupt pixel data": corrupted(png, len(png) // 2),
        "png with a bad header checksum": png[:29] + b"\x00\x00\x00\x00" + png[33:],
        "png 0x0 pixels": png_from_chunks(0, 0, [(b"IDAT", zlib.compress(b""))]),
        "png header claiming 30000x30000": png_from_chunks(
            HUGE_SIDE, HUGE_SIDE, [(b"IDAT", zlib.compress(b""))]
        ),
        "png decompression bomb 30000x30000": png_bomb(),
        "png with a 64 MB text chunk": png_text_bomb(),
        "jpeg header claiming 30000x30000": jpeg_claiming(HUGE_SIDE, HUGE_SIDE),
        "jpeg header claiming 0x0": jpeg_claiming(0, 0),
        "webp header claiming 16384x16384": webp_claiming(16384, 16384),
        "heic brand with garbage": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x17" * 200,
        "gif": image_bytes(photo(), "GIF"),
        "gif+zip polyglot (gifar)": image_bytes(photo(), "GIF") + b"PK\x03\x04" + PAYLOAD,
        "bmp": image_bytes(photo(), "BMP"),
        "tiff": image_bytes(photo(), "TIFF"),
        "svg with script": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
        "html named .png": b"<!doctype html><html><body>" + PAYLOAD + b"</body></html>",
        "pdf": b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF",
        "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40,
        "elf executable": b"\x7fELF\x02\x01\x01" + b"\x00" * 120,
        "png magic then html": b"\x89PNG\r\n\x1a\n" + PAYLOAD * 4,
        "jpeg magic then zeros": b"\xff\xd8\xff\xe0" + b"\x00" * 500,
        "utf-16 text": "not an image at all".encode("utf-16"),
    }


def polyglot_files():
    """name -> bytes of valid images that also carry PAYLOAD."""
    return {
        "png with html after IEND": image_bytes(photo(), "PNG") + PAYLOAD,
        "jpeg with php in a comment": jpeg_with_segment(b"\xff\xfe", PAYLOAD),
        "png with script in a text chunk": png_from_chunks(
            2, 2, [(b"tEXt", b"Comment\x00" + PAYLOAD), (b"IDAT", zlib.compress((b"\x00" + b"\x10" * 6) * 2))]
        ),
    }


def odd_but_valid_files():
    """name -> bytes of real images in encodings phones and editors do produce."""
    small = photo()
    cmyk = small.convert("CMYK")
    return {
        "cmyk jpeg": image_bytes(cmyk, "JPEG", quality=85),
        "16-bit greyscale png": image_bytes(
            Image.fromarray(np.asarray(small.convert("L"), np.uint16) * 257), "PNG"
        ),
        "1-bit png": image_bytes(small.convert("1"), "PNG"),
        "greyscale with alpha png": image_bytes(small.convert("LA"), "PNG"),
        "palette png with transparency": image_bytes(small.convert("P"), "PNG", transparency=0),
        "1x1 png": image_bytes(Image.new("RGB", (1, 1), "red"), "PNG"),
        "1x4096 png": image_bytes(Image.new("RGB", (1, 4096), "blue"), "PNG"),
        "jpeg with a corrupt exif block": jpeg_with_segment(
            b"\xff\xe1", b"Exif\x00\x00MM\x00*" + b"\xff" * 60
        ),
        "jpeg with exif orientation 9": jpeg_with_segment(
            b"\xff\xe1",
            b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x09\x00\x00"
            b"\x00\x00\x00\x00",
        ),
        "jpeg with a garbage icc profile": image_bytes(small, "JPEG", icc_profile=b"\x00" * 128 + PAYLOAD),
        "progressive jpeg": image_bytes(small, "JPEG", progressive=True),
        "lossless webp with alpha": image_bytes(small.convert("RGBA"), "WEBP", lossless=True),
    }
