"""Uploaded files are kept only up to the largest size a view accepts (an import's or a piece
of evidence's). Past it a file's bytes are dropped as they arrive and only counted: an
oversize file takes neither memory nor disk before the view refuses it by its size."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class CappedUpload(FileUploadHandler):
    """First of the upload handlers: passes a file's chunks on to Django's own handlers while
    the file is within the cap, and answers for a file past it with its name and size alone."""

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.cap = max(settings.UPLOAD_LIMIT, settings.EVIDENCE_MAX_BYTES)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        # None keeps the chunk from the handlers after this one
        return raw_data if start + len(raw_data) <= self.cap else None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if file_size <= self.cap:
            return None  # the next handler holds the whole file
        # No content at all: any attempt to read it fails instead of reading a truncated file.
        return UploadedFile(None, self.file_name, self.content_type, file_size, self.charset, self.content_type_extra)
