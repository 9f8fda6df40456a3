"""Photos the model sees again go to the Gemini Files API once and are named by uri afterwards (through the real
google-genai SDK against the fake Gemini, which speaks the resumable upload protocol and file uris)."""

import pytest

from shared.ai_models import GarmentInput, ImageModelError
from shared.ai_models.gemini_client import GeminiClient
from shared.ai_models.gemini_model import GeminiImageModel
from tests import photos

MODEL_NAME = "gemini-3.1-flash-image"


def _model(gemini, upload_on_use=2):
    client = GeminiClient(
        api_key="test-key",
        base_url=gemini.base_url,
        timeout_seconds=5,
        retry_delay_seconds=0.01,
        upload_on_use=upload_on_use,
    )
    return GeminiImageModel(client=client, model_names=[MODEL_NAME]), client


def _try_on(model, person=None, garment=None):
    return model.try_on(
        person or photos.astronaut_png(), [GarmentInput(garment or photos.t_shirt(), "top")], {}
    )


def _inline_images(request):
    parts = request["body"]["contents"][0]["parts"]
    return [part for part in parts if "inlineData" in part]


def test_a_photo_used_again_is_uploaded_once_and_then_named_by_uri(fake_gemini):
    model, client = _model(fake_gemini)
    first = _try_on(model)
    _try_on(model)  # the second use starts the upload; this request still carries the photos
    client.photos.wait_for_uploads()
    third = _try_on(model)

    # Each photo uploaded once (the two uploads run side by side: either may finish first).
    assert sorted(upload["size"] for upload in fake_gemini.uploads) == sorted(
        [len(photos.astronaut_png()), len(photos.t_shirt())]
    )
    assert [upload["mime_type"] for upload in fake_gemini.uploads] == ["image/png", "image/png"]
    inline, again, named = fake_gemini.requests
    assert len(_inline_images(inline)) == 2 and len(_inline_images(again)) == 2 and not inline["file_uris"]
    # The model reads the same photos, in the same order, from the files; the request carries no image bytes.
    assert not _inline_images(named) and len(named["file_uris"]) == 2
    assert named["images"] == [photos.astronaut_png(), photos.t_shirt()]
    assert named["mime_types"] == ["image/png", "image/png"]
    assert len(str(named["body"])) < len(str(inline["body"])) / 100
    assert third == first


def test_photos_seen_once_are_never_uploaded(fake_gemini):
    model, client = _model(fake_gemini)
    for colour in ((200, 30, 40), (30, 160, 60), (240, 200, 20)):
        _try_on(model, garment=photos.t_shirt(colour))
    client.photos.wait_for_uploads()
    # The person photo came three times (uploaded at its second use); each garment came once (never uploaded).
    assert [upload["size"] for upload in fake_gemini.uploads] == [len(photos.astronaut_png())]
    assert all(len(_inline_images(request)) >= 1 for request in fake_gemini.requests)


def test_with_uploads_off_every_photo_goes_inline(fake_gemini):
    model, client = _model(fake_gemini, upload_on_use=0)
    for _ in range(3):
        _try_on(model)
    assert client.photos is None and not fake_gemini.uploads
    assert all(len(_inline_images(request)) == 2 for request in fake_gemini.requests)


def _named_after_upload(fake_gemini):
    model, client = _model(fake_gemini)
    _try_on(model)
    _try_on(model)
    client.photos.wait_for_uploads()
    return model, client


def test_an_expired_file_is_sent_inline_and_uploaded_anew(fake_gemini):
    model, client = _named_after_upload(fake_gemini)
    fake_gemini.expire_files()  # as 48 hours later, or deleted
    fake_gemini.requests.clear()

    result = photos.decode(_try_on(model))

    assert result.format == "PNG"  # the shopper's try-on worked
    refused, inline = fake_gemini.requests
    assert len(refused["file_uris"]) == 2 and not refused["images"]  # 403: the files are gone
    assert len(_inline_images(inline)) == 2 and inline["images"] == [photos.astronaut_png(), photos.t_shirt()]
    _try_on(model)  # the next use uploads them again
    client.photos.wait_for_uploads()
    assert len(fake_gemini.uploads) == 4
    _try_on(model)
    assert len(fake_gemini.requests[-1]["file_uris"]) == 2 and not _inline_images(fake_gemini.requests[-1])


def test_a_failed_upload_leaves_the_photos_inline(fake_gemini):
    fake_gemini.fail_uploads = True  # 503 on every upload (the SDK tries again, then gives up)
    model, client = _model(fake_gemini)
    for _ in range(3):
        _try_on(model)
        client.photos.wait_for_uploads()
    assert not fake_gemini.uploads and not fake_gemini.files
    assert [len(_inline_images(request)) for request in fake_gemini.requests] == [2, 2, 2]


def test_a_file_still_processing_is_named_once_active(fake_gemini):
    fake_gemini.processing_reads = 1  # the upload answers PROCESSING; the first files.get says so too
    model, client = _named_after_upload(fake_gemini)
    _try_on(model)
    assert len(fake_gemini.requests[-1]["file_uris"]) == 2 and fake_gemini.requests[-1]["images"]


@pytest.mark.parametrize(
    ("status", "message", "asked_inline"),
    [
        (403, "Permission denied: consumer has been suspended.", False),  # the key's, not a file's: as before
        (400, "Request contains an invalid argument.", True),  # perhaps the file references: asked once more
    ],
)
def test_an_error_while_files_are_named_fails_the_call_as_it_would_inline(
    fake_gemini, status, message, asked_inline
):
    model, _ = _named_after_upload(fake_gemini)
    fake_gemini.requests.clear()
    fake_gemini.set_behaviour("error", status=status, message=message)
    with pytest.raises(ImageModelError) as caught:
        _try_on(model)
    assert caught.value.code == "UPSTREAM_REJECTED"
    named, *inline = fake_gemini.requests
    assert len(named["file_uris"]) == 2
    assert [len(_inline_images(request)) for request in inline] == ([2] if asked_inline else [])


def test_a_model_that_refuses_file_references_gets_the_photos_inline_from_then_on(fake_gemini):
    model, client = _named_after_upload(fake_gemini)
    fake_gemini.refuse_file_data = True
    fake_gemini.requests.clear()

    assert photos.decode(_try_on(model)).format == "PNG"
    for _ in range(2):
        _try_on(model)
    client.photos.wait_for_uploads()

    refused, *inline = fake_gemini.requests
    assert len(refused["file_uris"]) == 2
    assert [len(_inline_images(request)) for request in inline] == [2, 2, 2]
    assert len(fake_gemini.uploads) == 2  # nothing uploaded again while uris are refused


def test_a_model_gone_while_files_are_named_still_moves_to_the_next_model(fake_gemini):
    client = GeminiClient(api_key="test-key", base_url=fake_gemini.base_url, upload_on_use=1)
    model = GeminiImageModel(client=client, model_names=[MODEL_NAME, "gemini-2.5-flash-image"])
    _try_on(model)
    client.photos.wait_for_uploads()
    fake_gemini.set_models(
        {name: methods for name, methods in fake_gemini.models.items() if name != MODEL_NAME}
    )
    fake_gemini.requests.clear()

    _try_on(model)

    gone, moved = fake_gemini.requests
    assert gone["model"] == MODEL_NAME and moved["model"] == "gemini-2.5-flash-image"
    assert len(moved["file_uris"]) == 2  # the files stay named: the 404 was the model's, not theirs
