from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "tenken.reviews"
    verbose_name = "点検"
