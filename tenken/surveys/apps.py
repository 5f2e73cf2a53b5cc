from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "tenken.surveys"
    verbose_name = "照会（所属への年度調査）"
