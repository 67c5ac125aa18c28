"""The sending states of a batch in the town's outbox (no database here: the window imports it early)."""

QUEUED = "queued"  # 待发送
SENDING = "sending"  # 发送中
DELIVERED = "delivered"  # 已送达: the county's receipt says verified
REFUSED = "refused"  # 被拒: the county's receipt says why
IMPORTED = "imported"  # 已导入: the county has imported it

STATE_LABELS = {QUEUED: "待发送", SENDING: "发送中", DELIVERED: "已送达", REFUSED: "被拒", IMPORTED: "已导入"}
