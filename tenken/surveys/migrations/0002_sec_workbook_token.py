# Per-response workbook token (issue #14): existing responses each get their own random token.

from django.db import migrations, models

import tenken.surveys.models


def fill_tokens(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    for response in Response.objects.only("pk").iterator():
        Response.objects.filter(pk=response.pk).update(workbook_token=tenken.surveys.models.new_workbook_token())


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="workbook_token",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="回答票の照合用の符号",
                                   help_text="回答票の識別情報に含め、取込み時に照合する乱数（SECRET_KEY だけからは作れない）"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="response",
            name="workbook_token",
            field=models.CharField(default=tenken.surveys.models.new_workbook_token, editable=False, max_length=64,
                                   verbose_name="回答票の照合用の符号",
                                   help_text="回答票の識別情報に含め、取込み時に照合する乱数（SECRET_KEY だけからは作れない）"),
        ),
        migrations.AlterField(
            model_name="reviewchange",
            name="via",
            field=models.CharField(
                choices=[("web", "画面"), ("workbook", "回答票（Excel）"), ("workflow", "提出・承認"),
                         ("import", "取込み"), ("assign", "担当所属の変更")],
                max_length=10, verbose_name="経路",
            ),
        ),
    ]
