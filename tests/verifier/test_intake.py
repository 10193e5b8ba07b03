"""Intake: JSON, QR text, animated frames, photos and screenshots, and hostile input of each kind."""

from __future__ import annotations

import io
import random
import zlib

import base45
import pytest
from PIL import Image

from vccore.errors import ParsingError
from vccore.qrcodec import encode_frames, encode_payload
from verifier.intake import ImageError, NoQrCodeError, decode_image, read_input

from . import factory


def png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_json_and_qr_text_give_the_same_document(clean_vp):
    import json
    assert read_input(json.dumps(clean_vp)) == clean_vp
    assert read_input(encode_payload(clean_vp)) == clean_vp


def test_animated_frames_assemble_in_any_order(clean_vp):
    frames = encode_frames(clean_vp, max_chars=400)
    assert len(frames) > 2
    shuffled = frames[:]
    random.Random(3).shuffle(shuffled)
    assert read_input("\n".join(shuffled)) == clean_vp


def test_missing_frame_is_refused(clean_vp):
    frames = encode_frames(clean_vp, max_chars=400)
    with pytest.raises(ParsingError, match="frames received"):
        read_input("\n".join(frames[:-1]))


def test_screenshot_of_a_qr_code(clean_vp):
    assert read_input(png(factory.qr_image(encode_payload(clean_vp)))) == clean_vp


def test_12_megapixel_photo_of_a_qr_code(clean_vp):
    photo = factory.photo_12mp(encode_payload(clean_vp))
    assert Image.open(io.BytesIO(photo)).size == (4000, 3000)
    assert read_input(photo) == clean_vp


def test_animated_png_of_frames(clean_vp):
    frames = [factory.qr_image(t).convert("RGB") for t in encode_frames(clean_vp, max_chars=970)]
    assert len(frames) >= 2  # the reference VP needs 2 frames at v20
    out = io.BytesIO()
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:], duration=200, loop=0)
    assert read_input(out.getvalue()) == clean_vp


def zxing_qr(text: str):
    """Rendered with zxing-cpp's writer: python-qrcode fails on long runs of '0' (glog(0))."""
    import zxingcpp

    image = zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode,
                                                                    ec_level="M"), scale=3)
    view = memoryview(image)
    return Image.frombytes("L", (view.shape[1], view.shape[0]), view.tobytes())


def bomb_text(size: int) -> str:
    bomb = zlib.compressobj(9, zlib.DEFLATED, -15)
    return "MC1:" + base45.b45encode(bomb.compress(b"{" + b" " * size) + bomb.flush()).decode()


@pytest.mark.parametrize("as_image", [False, True], ids=["text", "qr-image"])
def test_decompression_bomb_in_qr_payload_is_refused(as_image):
    text = bomb_text(10_000_000 if not as_image else 1_000_000)
    data = png(zxing_qr(text)) if as_image else text
    with pytest.raises(ParsingError) as caught:
        read_input(data)
    assert caught.value.code == "PARSING_ERROR" and "expands beyond" in caught.value.detail


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + bytes(random.Random(1).randrange(256) for _ in range(5000)),
    b"\xff\xd8\xff\xe0" + b"\x00" * 100,
    b"GIF89a" + b"\xff" * 64,
], ids=["png-garbage", "jpeg-truncated", "gif-garbage"])
def test_garbage_images_are_image_errors(data):
    with pytest.raises(ImageError) as caught:
        read_input(data)
    assert caught.value.code == "IMAGE_ERROR"


def test_image_without_qr_code():
    noise = Image.frombytes("L", (300, 200), bytes(random.Random(2).randrange(256) for _ in range(60000)))
    with pytest.raises(NoQrCodeError) as caught:
        decode_image(png(noise))
    assert caught.value.code == "QR_NOT_FOUND"


def test_pixel_bomb_is_refused_before_decoding():
    # a valid PNG header claiming 60000 x 60000 pixels
    small = png(Image.new("L", (1, 1)))
    header = bytearray(small)
    header[16:24] = (60000).to_bytes(4, "big") * 2
    crc = zlib.crc32(bytes(header[12:29])).to_bytes(4, "big")
    header[29:33] = crc
    with pytest.raises(ImageError) as caught:
        read_input(bytes(header))
    assert caught.value.code == "IMAGE_ERROR"


def test_foreign_qr_code_is_unrecognised():
    with pytest.raises(ParsingError) as caught:
        read_input(png(factory.qr_image("HTTPS://EXAMPLE.COM/")))
    assert caught.value.code == "PARSING_ERROR" and caught.value.title == "Unrecognised QR code"


def test_unrecognised_text():
    with pytest.raises(ParsingError) as caught:
        read_input(b"hello")
    assert caught.value.code == "PARSING_ERROR"
