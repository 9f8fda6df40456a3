"""Image validation and normalisation for everything clients upload.

The format is read from the bytes (never the file name); only PNG, JPEG, WebP and HEIC/HEIF are
opened at all. Limits (bytes per file, pixels per side) come from the caller's settings and default
to the Settings defaults. What we store is EXIF-rotated, converted to sRGB, stripped of every
metadata block (EXIF with GPS, XMP, ICC) and in RGB or RGBA mode.
"""

import base64
import binascii
import io
import math
from collections.abc import Callable
from typing import TypedDict

import pillow_heif
from isal import isal_zlib
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from config import Settings
from shared.errors import PayloadTooLargeError, ValidationError
from shared.remembered import ImageKey, Remembered, image_key
from shared.text_patterns import IGNORECASE, compile_pattern

pillow_heif.register_heif_opener()

SUPPORTED_FORMATS = ("PNG", "JPEG", "WEBP", "HEIF")
OUTPUT_FORMATS = ("PNG", "JPEG", "WEBP")
MIME_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "HEIF": "image/heif"}
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "HEIF": "heic"}
ACCEPTED_DESCRIPTION = "PNG, JPEG, WebP or HEIC/HEIF"

# Phones write JPEGs with an extra picture (depth map, preview) that Pillow opens as "MPO".
_OPENED_AS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG", "WEBP": "WEBP", "HEIF": "HEIF"}
_SIXTEEN_BIT_MODES = ("I", "I;16", "I;16B", "I;16L", "I;16N")
_ALPHA_MODES = ("RGBA", "LA", "La", "PA", "RGBa")
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# Used to tell a damaged file of a supported type (INVALID_IMAGE) from another type (UNSUPPORTED_IMAGE).
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")


class ImageInfo(TypedDict):
    """What an image's header says: its format (one of SUPPORTED_FORMATS), pixel size and MIME type."""

    format: str
    width: int
    height: int
    mime: str


_DATA_URL = compile_pattern(r"^data:image/[A-Za-z0-9.+-]+;base64,", IGNORECASE)


def decode_base64_image(value: object, field: str, *, max_bytes: int | None = None) -> bytes:
    """Bytes of an image sent as base64 or a data URL ("data:image/png;base64,..."); 400/413 when unusable."""
    max_bytes = Settings.MAX_UPLOAD_SIZE if max_bytes is None else max_bytes
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"{field} must be a base64 string or a data URL", code="MISSING_FIELDS", details={"field": field}
        )
    encoded = "".join(_DATA_URL.sub("", value.strip()).split())
    if len(encoded) * 3 // 4 > max_bytes + 2:
        raise PayloadTooLargeError(
            f"{field} is larger than {_megabytes(max_bytes)}",
            code="FILE_TOO_LARGE",
            details={"field": field, "max_bytes": max_bytes},
        )
    try:
        data = base64.b64decode(encoded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(
            f"{field} is not valid base64", code="INVALID_BASE64", details={"field": field}
        ) from None
    if len(data) > max_bytes:
        raise PayloadTooLargeError(
            f"{field} is larger than {_megabytes(max_bytes)}",
            code="FILE_TOO_LARGE",
            details={"field": field, "max_bytes": max_bytes},
        )
    return data


def probe_image(image_data: bytes, filename: str | None = None) -> ImageInfo:
    """Format, size and MIME type read from the header only (cheap); refuses unsupported types."""
    image = _open(image_data, filename)
    return _describe(image)


def validate_image(
    image_data: bytes,
    filename: str | None = None,
    *,
    max_bytes: int | None = None,
    max_dimension: int | None = None,
) -> ImageInfo:
    """Check type, byte size, pixel size and that the whole file decodes; returns format/width/height/mime."""
    image = _open_within_limits(image_data, filename, max_bytes, max_dimension)
    _decode(image, filename)
    return _describe(image)


def load_image(
    image_data: bytes, *, max_dimension: int | None = None, max_input_dimension: int | None = None
) -> Image.Image:
    """Decoded image, EXIF orientation applied, sRGB, RGB or RGBA; shrunk to max_dimension if given."""
    image = _open_within_limits(image_data, None, math.inf, max_input_dimension)
    return _normalise(image, None, max_dimension)


def preprocess_image(
    image_data: bytes,
    filename: str | None = None,
    max_dimension: int | None = None,
    target_format: str = "PNG",
    *,
    max_bytes: int | None = None,
    max_input_dimension: int | None = None,
    reduce_first: bool = False,
) -> bytes:
    """Validate, decode (at reduced scale for big JPEGs), rotate, strip metadata, resize and encode.

    max_input_dimension bounds the pixels decoded. With reduce_first (images a shop serves, in
    renditions of any size) a JPEG is measured at the reduced scale it will be decoded at, so a large
    rendition still fits when its 1/2-1/8 scale does; other formats cannot decode reduced.
    """
    image = _open_within_limits(
        image_data,
        filename,
        max_bytes,
        max_input_dimension,
        reduce_to=max_dimension if reduce_first else None,
    )
    return encode_image(_normalise(image, filename, max_dimension), target_format)


# What prepare_for_processing made of the uploads this process saw lately, by their key and the limits: a shopper
# sends one selfie with garment after garment, shoppers send a popular garment's photo again and again. A photo
# kept byte for byte costs an entry of a few bytes (None: the upload is the output), a cleaned one its output; at
# most 32 MiB of outputs. Only what was accepted is remembered: an upload refused is checked again, with the same
# verdict.
_prepared_uploads: Remembered[ImageKey, tuple[bytes | None, str]] = Remembered(
    4096, weigh=lambda prepared: len(prepared[0]) if prepared[0] is not None else 0, budget=32 * 1024 * 1024
)


def prepare_for_processing(
    image_data: bytes,
    filename: str | None = None,
    *,
    max_dimension: int,
    max_bytes: int | None = None,
    max_input_dimension: int | None = None,
) -> tuple[bytes, str]:
    """(bytes, format) of an upload made fit to store for the AI models, as cheaply as that can be done.

    A PNG or JPEG that already carries no metadata (so stands upright, in sRGB) and fits max_dimension is
    kept byte for byte once its picture data proved to decode whole (`_prove_decodes`); anything else is
    normalised as preprocess_image does and encoded as JPEG when it came as an opaque photo (JPEG, HEIF:
    about 20 times faster to encode than PNG, and the models see no difference) or as PNG. The same bytes
    under the same limits give the same answer, so an upload seen lately is answered from memory
    (its SHA-256, ~0.15 ms for a 250 KB photo, instead of opening and proving it again).
    """
    data = bytes(image_data)
    key = image_key(data, max_dimension, max_bytes, max_input_dimension)
    if (remembered := _prepared_uploads.get(key)) is not None:
        output, image_format = remembered[0]
        return (data if output is None else output), image_format
    prepared, image_format = _prepare(data, filename, max_dimension, max_bytes, max_input_dimension)
    _prepared_uploads.put(key, (None if prepared is data else prepared, image_format))
    return prepared, image_format


def _prepare(
    image_data: bytes,
    filename: str | None,
    max_dimension: int,
    max_bytes: int | None,
    max_input_dimension: int | None,
) -> tuple[bytes, str]:
    image = _open_within_limits(image_data, filename, max_bytes, max_input_dimension)
    source_format = _opened_as(image)
    if (
        max(image.size) <= max_dimension
        and source_format in ("PNG", "JPEG")
        and _WITHOUT_METADATA[source_format](image_data)
    ):
        _prove_decodes(image, image_data, filename)
        return image_data, source_format
    image = _normalise(image, filename, max_dimension)
    target_format = "JPEG" if source_format in ("JPEG", "HEIF") and image.mode == "RGB" else "PNG"
    return encode_image(image, target_format), target_format


def _prove_decodes(image: Image.Image, data: bytes, filename: str | None) -> None:
    """INVALID_IMAGE unless every byte of the picture decodes, at a third of a full decode's CPU.

    A PNG is proven by inflating its image data: it must give every row the header promises, each starting
    with a valid filter type, which is all that Pillow's decoder checks on top of inflating (it then only
    unfilters arithmetic). An interlaced PNG, or one whose data does not add up, gets the full decode,
    which decides. A JPEG decodes at 1/8 scale: its entropy-coded data is read whole (a truncated or
    broken stream fails as in a full decode) and only the inverse DCT of the finer detail is skipped.
    """
    if image.format == "PNG":
        if _png_rows_inflate(image, data):
            return
    else:
        image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
    _decode(image, filename)


def _png_rows_inflate(image: Image.Image, data: bytes) -> bool:
    """True when the IDAT data of a non-interlaced PNG (one picture-only, as _png_without_metadata allows)
    inflates to at least height rows of (filter byte 0-4, row bytes); inflated a piece at a time.

    ISA-L's inflate (isal) is 2-3 times as fast as zlib's on photos and refuses every damaged stream zlib
    refuses (the same checks of the header, the blocks' codes and every distance) but one: a header asking for
    a window past 32 KB, which is checked here first."""
    header = data[16:29]  # IHDR: width, height, bit depth, colour type, compression, filter, interlace
    if len(header) < 13 or header[12] != 0 or header[9] not in _PNG_CHANNELS:
        return False
    width, height = image.size
    row_bytes = 1 + (width * header[8] * _PNG_CHANNELS[header[9]] + 7) // 8
    needed, inflated = height * row_bytes, 0
    pending = _png_image_data(data)
    if not pending or pending[0] >> 4 > 7:  # a window past 32 KB: zlib refuses it, ISA-L would not
        return False
    inflater = isal_zlib.decompressobj()
    try:
        while inflated < needed:
            rows = inflater.decompress(pending, min(_INFLATE_STEP, needed - inflated))
            pending = inflater.unconsumed_tail
            first_row = (-inflated) % row_bytes  # where the first row starting in this piece starts
            if not rows or max(rows[first_row::row_bytes], default=0) > 4:
                return False
            inflated += len(rows)
    except isal_zlib.error:  # type: ignore[misc]  # a class at run time (IsalError); the stub types it as an instance
        return False
    return True


def _png_image_data(data: bytes) -> bytes:
    """The joined payloads of a PNG's first run of IDAT chunks (Pillow reads no further either)."""
    payloads: list[bytes] = []
    position = 8
    while position + 8 <= len(data):
        length, kind = int.from_bytes(data[position : position + 4], "big"), data[position + 4 : position + 8]
        if kind == b"IDAT":
            payloads.append(data[position + 8 : position + 8 + length])
        elif payloads:
            break
        position += 12 + length
    return b"".join(payloads)


# Bytes of rows inflated at a time: bounded memory. Each piece lets go of the interpreter lock and waits to get
# it back behind the other request threads, so a photo takes a few pieces, not dozens (same CPU as 256 KB).
_INFLATE_STEP = 2 * 1024 * 1024
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type → samples per pixel


def _png_without_metadata(data: bytes) -> bool:
    """Only the chunks that make up the picture: no text, EXIF, ICC, time or animation chunks."""
    position = 8
    while position + 8 <= len(data):
        length, kind = int.from_bytes(data[position : position + 4], "big"), data[position + 4 : position + 8]
        if kind not in _PNG_PICTURE_CHUNKS:
            return False
        if kind == b"IEND":
            return position + 12 == len(data)
        position += 12 + length
    return False


def _jpeg_without_metadata(data: bytes) -> bool:
    """No APP1-APP15 (EXIF, XMP, ICC, MPF, ...) or comment segment, a JFIF header without a thumbnail, and
    nothing after the end of the picture."""
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        payload = data[position + 4 : position + 2 + length]
        plain_jfif = payload[:5] == b"JFIF\0" and payload[12:14] == b"\0\0"
        if marker in _JPEG_METADATA_MARKERS or (marker == 0xE0 and not plain_jfif):
            return False
        if (
            marker == 0xDA
        ):  # start of scan: in the compressed data an 0xFF byte is never followed by a marker's
            rest = data[position:]  # second byte, so any metadata marker found after here is one
            return data.endswith(b"\xff\xd9") and not any(
                bytes((0xFF, metadata)) in rest for metadata in _JPEG_METADATA_MARKERS
            )
        position += 2 + length
    return False


_PNG_PICTURE_CHUNKS = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND", b"sRGB"}
_JPEG_METADATA_MARKERS = (*range(0xE1, 0xF0), 0xFE)
_WITHOUT_METADATA: dict[str, Callable[[bytes], bool]] = {
    "PNG": _png_without_metadata,
    "JPEG": _jpeg_without_metadata,
}


def encode_image(image: Image.Image, target_format: str = "PNG", compress_level: int = 3) -> bytes:
    """Encode a PIL image without any metadata (JPEG flattens transparency onto white). PNG's compress_level
    1 is about half again as fast as 3 for files ~6% bigger (for results made on the spot)."""
    if target_format not in OUTPUT_FORMATS:
        raise ValueError(f"cannot encode images as {target_format}")
    if target_format == "JPEG" and image.mode != "RGB":
        image = flatten_onto(image.convert("RGBA"), (255, 255, 255))
    image.info = {}
    buffer = io.BytesIO()
    if target_format == "PNG":
        # Level 3 is about twice as fast as the default 6 for ~15% bigger files on photos.
        image.save(buffer, "PNG", compress_level=compress_level)
    else:
        image.save(buffer, target_format, quality=90)
    return buffer.getvalue()


def flatten_onto(image: Image.Image, colour: tuple[int, int, int]) -> Image.Image:
    """An RGB image of an RGBA one composited over a solid background colour."""
    background = Image.new("RGB", image.size, colour)
    background.paste(image, mask=image.getchannel("A"))
    return background


def _open(image_data: bytes, filename: str | None) -> Image.Image:
    if not isinstance(image_data, (bytes, bytearray)) or not image_data:
        raise ValidationError("The image is empty", code="INVALID_IMAGE", details=_file_details(filename))
    try:
        image = Image.open(io.BytesIO(image_data), formats=SUPPORTED_FORMATS)
    except Image.DecompressionBombError:
        raise ValidationError(
            "The image has too many pixels", code="IMAGE_TOO_LARGE", details=_file_details(filename)
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        if _looks_like_supported_format(bytes(image_data[:32])):
            raise ValidationError(
                "The image file is corrupt or truncated",
                code="INVALID_IMAGE",
                details=_file_details(filename),
            ) from None
        raise ValidationError(
            f"Unsupported image type; send {ACCEPTED_DESCRIPTION}",
            code="UNSUPPORTED_IMAGE",
            details={**_file_details(filename), "accepted": list(SUPPORTED_FORMATS)},
        ) from None
    return image


def _open_within_limits(
    image_data: bytes,
    filename: str | None,
    max_bytes: float | None,
    max_dimension: int | None,
    reduce_to: int | None = None,
) -> Image.Image:
    max_bytes = Settings.MAX_UPLOAD_SIZE if max_bytes is None else max_bytes
    max_dimension = Settings.MAX_IMAGE_DIMENSION if max_dimension is None else max_dimension
    if image_data and len(image_data) > max_bytes:
        raise PayloadTooLargeError(
            f"The image is larger than {_megabytes(max_bytes)}",
            code="FILE_TOO_LARGE",
            details={**_file_details(filename), "max_bytes": max_bytes, "size_bytes": len(image_data)},
        )
    image = _open(image_data, filename)
    if reduce_to:
        _draft(image, reduce_to)
    width, height = image.size
    if width > max_dimension or height > max_dimension:
        raise ValidationError(
            f"The image is {width}×{height} pixels; at most {max_dimension}×{max_dimension} is accepted",
            code="IMAGE_TOO_LARGE",
            details={
                **_file_details(filename),
                "width": width,
                "height": height,
                "max_dimension": max_dimension,
            },
        )
    return image


def _decode(image: Image.Image, filename: str | None) -> None:
    try:
        image.load()
    except Image.DecompressionBombError:
        raise ValidationError(
            "The image has too many pixels", code="IMAGE_TOO_LARGE", details=_file_details(filename)
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError):
        raise ValidationError(
            "The image file is corrupt or truncated", code="INVALID_IMAGE", details=_file_details(filename)
        ) from None


def _draft(image: Image.Image, max_dimension: int) -> None:
    """A JPEG set to decode straight at 1/2, 1/4 or 1/8 scale, the smallest still covering max_dimension: far
    less work and memory for phone photos and shop renditions (other formats are left as they are)."""
    scale = max_dimension / max(image.size)
    if _opened_as(image) == "JPEG" and scale < 1:
        image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))


def _normalise(image: Image.Image, filename: str | None, max_dimension: int | None) -> Image.Image:
    if max_dimension:
        _draft(image, max_dimension)
    _decode(image, filename)
    icc_profile = image.info.get("icc_profile")
    ImageOps.exif_transpose(image, in_place=True)
    image = _to_srgb(_normalise_mode(image), icc_profile)
    if max_dimension and max(image.size) > max_dimension:
        image.thumbnail((max_dimension, max_dimension), Image.Resampling.LANCZOS)
    image.info = {}
    return image


def _normalise_mode(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.mode in _SIXTEEN_BIT_MODES:
        return image.convert("I").point(lambda value: value / 256).convert("L").convert("RGB")
    has_alpha = image.mode in _ALPHA_MODES or (image.mode == "P" and "transparency" in image.info)
    return image.convert("RGBA" if has_alpha else "RGB")


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert from the embedded colour profile (e.g. Display P3 on phones) before it is stripped."""
    if not icc_profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=image.mode) or image
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _opened_as(image: Image.Image) -> str:
    """The format an image opened here was read as (Image.open sets it on every image it opens)."""
    return _OPENED_AS[image.format or ""]


def _describe(image: Image.Image) -> ImageInfo:
    image_format = _opened_as(image)
    return {
        "format": image_format,
        "width": image.width,
        "height": image.height,
        "mime": MIME_TYPES[image_format],
    }


def _looks_like_supported_format(head: bytes) -> bool:
    return (
        head.startswith(b"\x89PNG")
        or head.startswith(b"\xff\xd8\xff")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        or (head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS)
    )


def _file_details(filename: str | None) -> dict[str, str]:
    return {"filename": filename} if filename else {}


def _megabytes(size: float) -> str:
    return f"{size / (1024 * 1024):g} MB"
