"""shared/image_processing: formats from bytes, limits, EXIF, metadata stripping, colour modes."""

import base64
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from PIL import Image, ImageCms

from shared import image_processing
from shared.errors import ApiError, PayloadTooLargeError, ValidationError
from tests.photos import astronaut_image, astronaut_jpeg, decode, encode

ORIENTATION = 0x0112
GPS_IFD = 0x8825


@pytest.mark.parametrize(
    "image_format, expected", [("PNG", "PNG"), ("JPEG", "JPEG"), ("WEBP", "WEBP"), ("HEIF", "HEIF")]
)
def test_supported_formats_are_recognised_from_their_bytes(image_format, expected):
    data = encode(astronaut_image().resize((320, 200)), image_format)
    info = image_processing.validate_image(data, "photo.jpg")  # the name is ignored
    assert info == {
        "format": expected,
        "width": 320,
        "height": 200,
        "mime": image_processing.MIME_TYPES[expected],
    }


@pytest.mark.parametrize(
    "data",
    [
        encode(Image.new("RGB", (20, 20)), "GIF"),
        encode(Image.new("RGB", (20, 20)), "BMP"),
        encode(Image.new("RGB", (20, 20)), "TIFF"),
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"just some text pretending to be a png",
    ],
)
def test_other_types_are_refused_with_the_accepted_list(data):
    with pytest.raises(ValidationError) as caught:
        image_processing.validate_image(data, "photo.png")
    assert caught.value.code == "UNSUPPORTED_IMAGE"
    assert caught.value.status_code == 400
    assert caught.value.details["accepted"] == ["PNG", "JPEG", "WEBP", "HEIF"]


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP", "HEIF"])
def test_truncated_files_are_invalid_not_a_crash(image_format):
    data = encode(astronaut_image(), image_format)
    for cut in (len(data) // 2, 40):
        with pytest.raises(ValidationError) as caught:
            image_processing.validate_image(data[:cut])
        assert caught.value.code == "INVALID_IMAGE"


def test_empty_data_is_invalid():
    with pytest.raises(ValidationError) as caught:
        image_processing.validate_image(b"")
    assert caught.value.code == "INVALID_IMAGE"


def test_files_over_the_byte_limit_are_413():
    data = astronaut_jpeg()
    with pytest.raises(PayloadTooLargeError) as caught:
        image_processing.validate_image(data, max_bytes=len(data) - 1)
    assert caught.value.status_code == 413
    assert caught.value.details["max_bytes"] == len(data) - 1
    assert image_processing.validate_image(data, max_bytes=len(data))["format"] == "JPEG"


def test_images_over_the_pixel_limit_are_refused():
    data = encode(Image.new("RGB", (600, 300)), "PNG")
    with pytest.raises(ValidationError) as caught:
        image_processing.validate_image(data, max_dimension=500)
    assert caught.value.code == "IMAGE_TOO_LARGE"
    assert caught.value.details == {"width": 600, "height": 300, "max_dimension": 500}


def test_a_decompression_bomb_is_refused_from_its_header():
    # A tiny PNG whose header claims 60000×60000 pixels (3.6 gigapixels).
    png = encode(Image.new("1", (1, 1)), "PNG")
    ihdr = b"IHDR" + (60000).to_bytes(4, "big") * 2 + png[24:29]
    bomb = png[:12] + ihdr + zlib.crc32(ihdr).to_bytes(4, "big") + png[33:]
    with pytest.raises(ValidationError) as caught:
        image_processing.preprocess_image(bomb, max_input_dimension=100000)
    assert caught.value.code == "IMAGE_TOO_LARGE"
    with pytest.raises(ValidationError) as caught:
        image_processing.validate_image(bomb)
    assert caught.value.code == "IMAGE_TOO_LARGE"


def test_exif_orientation_is_applied_and_all_metadata_stripped():
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # camera held sideways: rotate 90° clockwise to view
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    source = astronaut_image().crop((0, 0, 512, 300))
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(source, "JPEG", exif=exif, icc_profile=srgb)
    assert decode(data).getexif().get_ifd(GPS_IFD)

    for target in ("PNG", "JPEG", "WEBP"):
        stored = image_processing.preprocess_image(data, target_format=target)
        image = decode(stored)
        assert image.size == (300, 512)
        assert not image.getexif()
        assert "icc_profile" not in image.info and "exif" not in image.info
        assert b"Exif" not in stored
    # The top-left corner of the source ends up top-right once rotated clockwise.
    rotated = np.asarray(decode(image_processing.preprocess_image(data)))
    assert np.abs(rotated[5, -6].astype(int) - np.asarray(source)[5, 5]).max() < 40


@pytest.mark.parametrize(
    "mode, expected",
    [("L", "RGB"), ("CMYK", "RGB"), ("LA", "RGBA"), ("P", "RGB"), ("RGBA", "RGBA"), ("I;16", "RGB")],
)
def test_colour_modes_are_normalised_to_rgb_or_rgba(mode, expected):
    source = Image.new(mode, (40, 30))
    image_format = "JPEG" if mode == "CMYK" else "PNG"
    result = decode(image_processing.preprocess_image(encode(source, image_format)))
    assert result.mode == expected


def test_palette_transparency_is_kept_as_alpha():
    source = Image.new("P", (40, 30), 0)
    source.putpalette([255, 0, 0, 0, 255, 0])
    source.paste(1, (0, 0, 20, 30))
    result = decode(image_processing.preprocess_image(encode(source, "PNG", transparency=0)))
    assert result.mode == "RGBA"
    assert result.getpixel((30, 10))[3] == 0 and result.getpixel((5, 10)) == (0, 255, 0, 255)


def test_sixteen_bit_greyscale_keeps_its_range():
    ramp = np.linspace(0, 65535, 64 * 64).reshape(64, 64).astype(np.uint16)
    result = np.asarray(decode(image_processing.preprocess_image(encode(Image.fromarray(ramp), "PNG"))))
    assert result[0, 0].tolist() == [0, 0, 0] and result[-1, -1].tolist() == [255, 255, 255]


def test_a_phone_sized_jpeg_is_shrunk_to_the_requested_size():
    phone_photo = encode(astronaut_image().resize((4032, 3024)), "JPEG", quality=90)
    result = decode(image_processing.preprocess_image(phone_photo, max_dimension=1024, target_format="JPEG"))
    assert result.size == (1024, 768)
    assert result.format == "JPEG"


def test_preprocess_converts_the_format_and_flattens_transparency_for_jpeg():
    transparent = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    as_jpeg = decode(image_processing.preprocess_image(encode(transparent, "PNG"), target_format="JPEG"))
    assert as_jpeg.format == "JPEG" and as_jpeg.getpixel((5, 5)) == (255, 255, 255)


def test_load_image_applies_orientation_and_shrinks():
    exif = Image.Exif()
    exif[ORIENTATION] = 8
    image = image_processing.load_image(
        encode(astronaut_image().crop((0, 0, 512, 256)), "JPEG", exif=exif), max_dimension=128
    )
    assert image.size == (64, 128) and image.mode == "RGB"


def test_base64_and_data_urls_decode_to_the_image():
    data = encode(Image.new("RGB", (8, 8)), "PNG")
    plain = base64.b64encode(data).decode()
    assert image_processing.decode_base64_image(plain, "avatar") == data
    assert image_processing.decode_base64_image(f"data:image/png;base64,{plain}", "avatar") == data
    wrapped = "\n".join(plain[i : i + 76] for i in range(0, len(plain), 76))
    assert image_processing.decode_base64_image(wrapped, "avatar") == data


@pytest.mark.parametrize(
    "value, code, status",
    [
        ("not base64 at all!", "INVALID_BASE64", 400),
        ("data:image/png;base64,@@@@", "INVALID_BASE64", 400),
        ("", "MISSING_FIELDS", 400),
        (None, "MISSING_FIELDS", 400),
        (12345, "MISSING_FIELDS", 400),
        (base64.b64encode(b"x" * 2000).decode(), "FILE_TOO_LARGE", 413),
    ],
)
def test_unusable_base64_is_a_clear_client_error(value, code, status):
    with pytest.raises(ApiError) as caught:
        image_processing.decode_base64_image(value, "avatar", max_bytes=1000)
    assert (caught.value.code, caught.value.status_code) == (code, status)
    assert caught.value.details["field"] == "avatar"


_SEED_FILES = [
    encode(astronaut_image().resize((64, 64)), image_format) for image_format in ("PNG", "JPEG", "WEBP")
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(_SEED_FILES),
    cut=st.integers(0, 4000),
    flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=6),
)
def test_damaged_files_only_ever_raise_client_errors(seed, cut, flips):
    damaged = bytearray(seed[: cut or None])
    for position, value in flips:
        if position < len(damaged):
            damaged[position] = value
    try:
        image_processing.preprocess_image(bytes(damaged), max_dimension=32)
    except ApiError as error:
        assert 400 <= error.status_code < 500
