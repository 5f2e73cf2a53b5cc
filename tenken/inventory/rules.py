"""Rules of the register, as pure functions returning Japanese problems (empty list: valid).

Three-layer model (三層の構え, 総務大臣通知 H27.12.25): マイナンバー利用事務系 is cut off from the internet,
and LGWAN接続系 reaches it only through sanitisation (無害化); so only a system in インターネット接続系 may be
internet-facing.
"""

from __future__ import annotations

from datetime import date

from .models import Segment, SystemState


def system_problems(
    *,
    segment: str,
    internet_facing: bool,
    state: str,
    in_service_on: date | None,
    retired_on: date | None,
    successor_name: str,
) -> list[tuple[str, str]]:
    """``[(field, message)]`` for a system's values; field names are the register's column names."""
    out: list[tuple[str, str]] = []
    if internet_facing and segment == Segment.MYNUMBER:
        out.append(("インターネット接続", "マイナンバー利用事務系のシステムはインターネットに接続できません（三層の構え）"))
    elif internet_facing and segment == Segment.LGWAN:
        out.append(("インターネット接続", "LGWAN接続系のシステムはインターネットに直接接続できません（無害化を経由してください）"))
    if state == SystemState.ACTIVE and retired_on is not None:
        out.append(("状態", "廃止日があるのに状態が「稼働」です"))
    if state in (SystemState.RETIRED, SystemState.CONSOLIDATED) and retired_on is None:
        out.append(("廃止日", f"状態が「{SystemState(state).label}」のときは廃止日が必要です"))
    if state == SystemState.CONSOLIDATED and not successor_name:
        out.append(("統合先システム", "状態が「統合」のときは統合先システムが必要です"))
    if state != SystemState.CONSOLIDATED and successor_name:
        out.append(("統合先システム", "統合先システムは状態が「統合」のときだけ記入します"))
    if in_service_on and retired_on and retired_on < in_service_on:
        out.append(("廃止日", "廃止日が稼働開始日より前です"))
    return out
