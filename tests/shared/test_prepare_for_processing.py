"""Uploads for the AI models: kept byte for byte when already clean, otherwise cleaned (and never a metadata
block, a sideways photo or a hidden thumbnail stored)."""

import zlib

import pytest
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from shared.errors import ValidationError
from shared.image_processing import prepare_for_processing
from tests import photos

GPS_IFD = 0x8825


def _photo(size=(300, 200)):
    return photos.astronaut_image().resize(size)


def _jpeg(image=None, **options):
    return photos.encode(image or _photo(), "JPEG", quality=90, **options)


def _prepared(data, max_dimension=2048):
    stored, image_format = prepare_for_processing(data, max_dimension=max_dimension)
    image = photos.decode(stored)
    return stored, image_format, image


@pytest.mark.parametrize("data", [photos.encode(_photo()), _jpeg(), photos.encode(_photo().convert("RGBA"))])
def test_a_clean_picture_is_kept_byte_for_byte(data):
    stored, _, _ = _prepared(data)
    assert stored == data


def _exif(**tags):
    exif = Image.Exif()
    for tag, value in tags.items():
        exif[int(tag[1:])] = value
    return exif


def _text(key, value):
    info = PngInfo()
    info.add_text(key, value)
    return info


def _with_gps():
    exif = _exif(t271="PhoneMaker")
    exif.get_ifd(GPS_IFD)[2] = (52.0, 31.0, 12.0)
    return exif


@pytest.mark.parametrize(
    "data, image_format",
    [
        (_jpeg(exif=_with_gps()), "JPEG"),
        (_jpeg(comment=b"taken at home"), "JPEG"),
        (_jpeg() + b"appended data", "JPEG"),
        (photos.encode(_photo(), "PNG", exif=_with_gps()), "PNG"),
        (photos.encode(_photo(), "PNG", pnginfo=_text("Location", "52.0 N")), "PNG"),
    ],
)
def test_metadata_is_never_stored(data, image_format):
    stored, stored_format, image = _prepared(data)
    assert stored != data and stored_format == image_format
    assert not image.getexif() and "comment" not in image.info and not getattr(image, "text", {})
    assert b"PhoneMaker" not in stored and b"52.0 N" not in stored and b"appended" not in stored


def test_a_jfif_thumbnail_is_not_kept():
    data = bytearray(_jpeg())
    start = data.index(b"JFIF\0")
    assert data[start + 12 : start + 14] == b"\0\0"
    # A header that announces a 1×1 thumbnail (3 bytes of RGB) after its fields.
    segment_length = int.from_bytes(data[start - 2 : start], "big")
    data[start - 2 : start] = (segment_length + 3).to_bytes(2, "big")
    data[start + 12 : start + 14] = b"\x01\x01"
    data[start + 14 : start + 14] = b"\xff\x00\x00"
    stored, _, image = _prepared(bytes(data))
    assert stored != bytes(data) and image.size == (300, 200)


def test_a_phone_photo_is_stood_upright_and_scaled_down():
    stored, image_format, image = _prepared(
        _jpeg(_photo((3000, 2000)), exif=_exif(t274=6)), max_dimension=1500
    )
    assert image_format == "JPEG" and image.size == (1000, 1500) and not image.getexif()


def test_a_wide_gamut_photo_is_converted_to_srgb():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    stored, _, image = _prepared(_jpeg(icc_profile=profile))
    assert "icc_profile" not in image.info


def test_a_broken_picture_is_refused_even_when_clean():
    data = photos.encode(_photo())
    broken = data[: len(data) // 2] + data[-12:]  # the IEND chunk kept, half the pixels gone
    with pytest.raises(ValidationError) as caught:
        prepare_for_processing(broken, max_dimension=2048)
    assert caught.value.code == "INVALID_IMAGE"


def test_a_cut_out_stays_png_with_its_transparency():
    data = photos.encode(_photo().convert("RGBA"), "PNG", pnginfo=_text("Software", "editor"))
    _, image_format, image = _prepared(data)
    assert image_format == "PNG" and image.mode == "RGBA"


def _png_of_rows(width, height, rows, colour_type=2, interlace=0, idat=None):
    """A picture-only 8-bit PNG whose IDAT is the given filtered rows (each a filter byte and the pixels),
    deflated, or the given IDAT payload."""

    def chunk(kind, payload):
        return (
            len(payload).to_bytes(4, "big") + kind + payload + zlib.crc32(kind + payload).to_bytes(4, "big")
        )

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes((8, colour_type, 0, 0, interlace))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows) if idat is None else idat)
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    "image", [_photo(), _photo().convert("L"), _photo().convert("P"), _photo().convert("LA")]
)
def test_a_clean_png_of_any_colour_type_is_kept(image):
    data = photos.encode(image)
    assert prepare_for_processing(data, max_dimension=2048) == (data, "PNG")


def test_an_interlaced_png_is_kept_once_decoded_in_full():
    # Adam7 passes of a 4×4 picture: 1, 0, 0, 1, 1, 2 and 2 rows of 1, -, -, 1, 2, 2 and 4 pixels
    rows = b"".join(bytes([0] + [9] * 3 * pixels) for pixels in (1, 1, 2, 2, 2, 4, 4))
    data = _png_of_rows(4, 4, rows, interlace=1)
    assert prepare_for_processing(data, max_dimension=2048) == (data, "PNG")


# 3 MB of rows: row 900 is in the second piece inflated, not in the first
@pytest.mark.parametrize("width, height, bad_row", [(4, 4, 2), (1000, 1000, 900)])
def test_a_png_with_a_row_of_an_unknown_filter_type_is_refused(width, height, bad_row):
    # pixel bytes of 1 (a valid filter type too), so only the row that starts with 7 is wrong
    rows = b"".join(bytes([7 if row == bad_row else 0]) + bytes([1]) * 3 * width for row in range(height))
    with pytest.raises(ValidationError) as caught:
        prepare_for_processing(_png_of_rows(width, height, rows), max_dimension=2048)
    assert caught.value.code == "INVALID_IMAGE"


def test_a_png_with_damaged_pixel_data_is_refused():
    data = bytearray(photos.encode(_photo()))
    middle = data.index(b"IDAT") + 4 + 2000
    data[middle : middle + 64] = bytes(64)  # the deflate stream no longer adds up
    with pytest.raises(ValidationError) as caught:
        prepare_for_processing(bytes(data), max_dimension=2048)
    assert caught.value.code == "INVALID_IMAGE"


def _zlib_header(window_bits):
    """A zlib stream header (deflate, no preset dictionary) asking for a window of 2**window_bits bytes."""
    cmf = (window_bits - 8) << 4 | 8
    return bytes((cmf, 31 - (cmf << 8) % 31))


def test_a_png_whose_stream_asks_for_a_window_past_32_kb_is_refused():
    rows = b"".join(bytes([0]) + bytes(range(96)) for _ in range(32))
    valid = _png_of_rows(32, 32, rows)
    assert prepare_for_processing(valid, max_dimension=2048) == (valid, "PNG")
    deflated = zlib.compress(rows)
    data = _png_of_rows(32, 32, rows, idat=_zlib_header(16) + deflated[2:])  # 64 KB: zlib has no such window
    with pytest.raises(ValidationError) as caught:
        prepare_for_processing(data, max_dimension=2048)
    assert caught.value.code == "INVALID_IMAGE"


def test_a_png_whose_stream_points_back_before_its_start_is_refused():
    rows = b"".join(bytes([0]) + bytes(range(96)) for _ in range(32))
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15, zdict=rows)  # copies from a dictionary it never sends
    data = _png_of_rows(32, 32, rows, idat=_zlib_header(15) + deflater.compress(rows) + deflater.flush())
    with pytest.raises(ValidationError) as caught:
        prepare_for_processing(data, max_dimension=2048)
    assert caught.value.code == "INVALID_IMAGE"


# An upload seen lately is answered from memory (a shopper's selfie sent with garment after garment): the same
# answer as the first time, never the raw upload where the first time cleaned it, and only under the same limits.


def test_a_photo_sent_again_is_stored_as_the_first_time_without_its_metadata():
    data = _jpeg(_photo((320, 240)), exif=_with_gps())
    first, first_format, _ = _prepared(data)
    again, again_format, image = _prepared(data)
    assert again == first and again_format == first_format == "JPEG"
    assert b"PhoneMaker" not in again and not image.getexif()


def test_a_photo_sent_again_under_a_smaller_limit_is_scaled_to_it():
    data = photos.encode(_photo((400, 300)))
    kept, _, _ = _prepared(data, max_dimension=2048)
    smaller, _, image = _prepared(data, max_dimension=200)
    assert kept == data and smaller != data and image.size == (200, 150)


def test_a_broken_picture_sent_again_is_refused_again():
    data = photos.encode(_photo((310, 210)))
    broken = data[: len(data) // 2] + data[-12:]  # the IEND chunk kept, half the pixels gone
    for _ in range(2):
        with pytest.raises(ValidationError) as caught:
            _prepared(broken)
        assert caught.value.code == "INVALID_IMAGE"
