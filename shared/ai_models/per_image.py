"""Answers remembered per image: shoppers try many garments on one avatar and one garment on many
avatars, so the slow reading of a photo (pose, cut-out) runs once per photo per process.

`remembered_per_image(size)` wraps a function of one image (its bytes) and keeps its last `size`
answers by a digest of the bytes; the wrapped function gets `forget()` (benchmarks measure a photo
read afresh).
"""

import functools
import hashlib
import threading
from collections import OrderedDict


def remembered_per_image(size):
    def decorate(read):
        answers = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(read)
        def remembered(image):
            key = hashlib.blake2b(image, digest_size=16).digest()
            with lock:
                if key in answers:
                    answers.move_to_end(key)
                    return answers[key]
            answer = read(image)
            with lock:
                answers[key] = answer
                while len(answers) > size:
                    answers.popitem(last=False)
            return answer

        def forget():
            with lock:
                answers.clear()

        remembered.forget = forget
        return remembered

    return decorate
