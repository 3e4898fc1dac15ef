# ruff: noqa  (legacy code, kept as legacy teams write it)
from qcloud_image import Client
