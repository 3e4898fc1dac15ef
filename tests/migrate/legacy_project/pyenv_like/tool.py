# ruff: noqa  (legacy code, kept as legacy teams write it)
import qcloud_image
