"""Network reporting: the county's receiving service, and the town's sending and fetching."""

from __future__ import annotations

import argparse
from typing import Any

from cli.common import EXIT_OK, actor, add, database

EXIT_NETWORK = 11  # something is still waiting in the outbox, or the county could not be reached


def register(sub: Any) -> None:
    p = add(sub, "serve", "在县局运行上报接收服务（乡镇通过网络报送数据包）", cmd_serve)
    p.add_argument("--host", help="监听地址（默认取上报接收服务设置，初始为 0.0.0.0）")
    p.add_argument("--port", type=int, help="端口（默认取上报接收服务设置，初始为 8443）")
    p = add(sub, "service-cert", "为上报接收服务生成自签名证书，并显示其指纹", cmd_service_cert)
    p.add_argument("hosts", nargs="+", help="县局服务器的地址（IP 或域名），乡镇用它连接")
    add(sub, "send", "乡镇：把待发送的批次通过网络报送县局（断点续传）", cmd_send)
    add(sub, "fetch", "乡镇：从县局服务取回本所的结果包和政策更新", cmd_fetch)


def cmd_serve(args: argparse.Namespace) -> int:
    from service.run import serve

    with database(args) as db:
        serve(db, host=args.host, port=args.port)
    return EXIT_OK


def cmd_service_cert(args: argparse.Namespace) -> int:
    from core.app.inbox import make_certificate
    from core.packages.keys import display_fingerprint

    with database(args) as db:
        fp = make_certificate(db, actor(args, db), hosts=args.hosts)
    print(f"证书已生成。证书指纹（请印在密钥登记表上，乡镇照此填写）：\n{display_fingerprint(fp)}")
    return EXIT_OK


def cmd_send(args: argparse.Namespace) -> int:
    from core.app import outbox

    with database(args) as db:
        outcomes = outbox.send_due(db)
        for o in outcomes:
            print(f"第{o.batch_number}批：{o.message}")
        if not outcomes:
            print("没有需要发送的批次。")
        waiting = outbox.due(db) or [
            n for n, r in outbox.rows(db).items() if r.state in ("queued", "sending")
        ]
    return EXIT_NETWORK if waiting else EXIT_OK


def cmd_fetch(args: argparse.Namespace) -> int:
    from core.app import outbox

    with database(args) as db:
        lines = outbox.fetch_from_county(db, actor(args, db))
    print("\n".join(lines) if lines else "县局没有新的结果包或政策更新。")
    return EXIT_OK
