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
from verifier.imagecheck import DecodeGate, gif_frames, webp_size
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


# Image budgets: what an image declares is checked before any pixel is decoded (verifier.imagecheck).

def webp_lossless(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", (width, height), 255).save(out, "WEBP", lossless=True, quality=0, method=0)
    return out.getvalue()


def gif(frames: int, side: int, *, screen: int | None = None) -> bytes:
    """A GIF as its headers describe it: a logical screen and `frames` image descriptors of
    `side` x `side` pixels, each with one byte of (meaningless) LZW data."""
    screen = side if screen is None else screen
    head = b"GIF89a" + screen.to_bytes(2, "little") * 2 + b"\x00\x00\x00"
    frame = b"\x2c" + b"\x00" * 4 + side.to_bytes(2, "little") * 2 + b"\x00" + b"\x02\x01\x44\x00"
    return head + frame * frames + b"\x3b"


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) is patched to declare another size."""
    out = io.BytesIO()
    Image.new("L", (64, 64), 128).save(out, "JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


def refusal(data: bytes) -> ImageError:
    with pytest.raises(ImageError) as caught:
        read_input(data)
    assert caught.value.code == "IMAGE_ERROR"
    return caught.value


def test_webp_declaring_7000x7000_is_refused_from_its_header():
    data = webp_lossless(7000, 7000)
    assert len(data) < 100 and webp_size(data) == (7000, 7000)
    error = refusal(data)
    assert error.title == "Image too large" and "7000x7000" in error.detail


def test_webp_sizes_are_read_for_every_chunk_kind():
    lossy = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(lossy, "WEBP", quality=50)
    extended = io.BytesIO()
    Image.new("RGBA", (310, 210), (0, 0, 0, 0)).save(extended, "WEBP", save_all=True, duration=50,
                                                     append_images=[Image.new("RGBA", (310, 210), "white")])
    assert webp_size(lossy.getvalue()) == (300, 200)
    assert webp_size(extended.getvalue()) == (310, 210)
    assert webp_size(webp_lossless(17, 9)) == (17, 9)
    assert webp_size(b"RIFF\x00\x00\x00\x00WEBPJUNK" + b"\x00" * 20) is None
    assert refusal(b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 40).detail == "not a WebP image"


def test_gif_frames_over_the_pixel_budget_are_refused():
    data = gif(200, 2000)  # 800 million pixels once decoded
    error = refusal(data)
    assert error.title == "Animation too large" and "200 frames of 2000x2000" in error.detail


def test_gif_with_too_many_frames_is_refused_and_counting_stops_at_the_limit():
    data = gif(500_000, 8)   # half a million tiny frames
    assert gif_frames(data, 200) == (201, 8, 8)
    assert refusal(data).title == "Too many frames"


def test_gif_frame_drawn_beyond_the_screen_counts_at_its_real_size():
    data = gif(1, 5000, screen=10)
    assert gif_frames(data, 200) == (1, 5000, 5000)
    assert refusal(data).title == "Image too large"


def test_gif_data_in_tiny_blocks_is_refused():
    head = b"GIF89a" + (100).to_bytes(2, "little") * 2 + b"\x00\x00\x00"
    frame = b"\x2c" + b"\x00" * 4 + (100).to_bytes(2, "little") * 2 + b"\x00" + b"\x02"
    assert refusal(head + frame + b"\x01\x41" * 1_100_000 + b"\x00\x3b").title == "Image too complex"


def test_animated_png_declaring_too_many_frames_is_refused():
    frames = [Image.new("L", (40, 40), i) for i in range(201)]
    out = io.BytesIO()
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:], duration=20)
    assert refusal(out.getvalue()).title == "Too many frames"


def test_png_over_the_decoded_pixel_limit_is_refused():
    out = io.BytesIO()
    Image.new("L", (5000, 4000), 255).save(out, "PNG")
    assert refusal(out.getvalue()).title == "Image too large"


def test_jpeg_is_limited_by_what_it_decodes_to():
    assert refusal(jpeg_declaring(9000, 6000)).title == "Image too large"      # 54 MP declared
    panorama = refusal(jpeg_declaring(40000, 1000))                              # 40 MP, barely reducible
    assert panorama.title == "Image too large" and "would decode to 40000x1000" in panorama.detail


def test_jpeg_with_hundreds_of_scans_is_refused():
    out = io.BytesIO()
    Image.new("L", (64, 64), 128).save(out, "JPEG")
    data = out.getvalue()
    assert refusal(data[:-2] + b"\xff\xda" * 101 + data[-2:]).title == "Image too complex"


def test_48_megapixel_phone_photo_is_accepted(clean_vp):
    rng = random.Random(8)
    noise = Image.frombytes("L", (400, 300), bytes(rng.randrange(90, 200) for _ in range(400 * 300)))
    photo = noise.resize((8000, 6000), Image.Resampling.BILINEAR)
    photo.paste(factory.qr_image(encode_payload(clean_vp), box=22), (2500, 1200))
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=85)
    assert read_input(out.getvalue()) == clean_vp


def test_a_busy_decode_gate_refuses_instead_of_piling_up(clean_vp):
    gate = DecodeGate(1, wait=0.05)
    data = png(factory.qr_image(encode_payload(clean_vp)))
    with gate.slot():
        with pytest.raises(ImageError) as caught:
            decode_image(data, gate=gate)
    assert caught.value.title == "Too many images at once"
    assert decode_image(data, gate=gate)  # free again

