"""Reading files: decoding photos (every format, EXIF orientation, reduced-scale JPEG),
metadata and caption sources.
"""
