#!/usr/bin/env python3
"""A minimal Patrol device, written from docs/protocol.md alone (pip install pyzmq).

It says hello, keeps heartbeats going, checks and acknowledges the uploaded route, flies it on
`start` (fast: one telemetry sample per waypoint), reports one smoke detection half way, lands,
and resends each detection and event every 2 s until the coordinator acknowledges it.

    python3 device.py tcp://127.0.0.1:5555 [--device drone-1] [--keys DIR]

With --keys, the link uses CURVE: DIR/<device>.key is this device's key pair and
DIR/coordinator.pub (or the `public:` line of DIR/coordinator.key) the coordinator's public key.
"""
import argparse, json, os, sys, time, zlib
import zmq

RESEND_AFTER = 2.0  # seconds without an ack before a detection or event is sent again


def read_key_file(path):
    halves = {}
    for line in open(path, encoding="utf-8"):
        if ":" in line and not line.startswith("#"):
            name, value = line.split(":", 1)
            halves[name.strip()] = value.strip().strip('"')
    return halves


def route_checksum(route):
    text = "".join("%.7f,%.7f,%.2f,%s,%.2f\n" % (w["position"]["lon"] + 0.0, w["position"]["lat"] + 0.0,
                   w["altitude"] + 0.0, w["kind"], w["speed"] + 0.0) for w in route["waypoints"])
    return "%08x" % zlib.crc32(text.encode())


class Device:
    def __init__(self, endpoint, device, keys=None):
        self.device, self.seq = device, 0
        self.sock = zmq.Context.instance().socket(zmq.DEALER)
        self.sock.setsockopt(zmq.ROUTING_ID, device.encode())  # must equal "device" in every envelope
        self.sock.setsockopt(zmq.LINGER, 100)
        if keys:
            mine = read_key_file(os.path.join(keys, device + ".key"))
            server = read_key_file(os.path.join(keys, "coordinator.key"))
            self.sock.curve_serverkey = server["public"].encode()
            self.sock.curve_publickey = mine["public"].encode()
            self.sock.curve_secretkey = mine["secret"].encode()
        self.sock.connect(endpoint)
        self.heartbeat_interval, self.last_heartbeat = 1.0, 0.0
        self.unacked = {}  # id -> [type, body, last sent]
        self.flights = {}  # flight id -> route

    def send(self, type_, body):
        self.seq += 1
        frame = {"v": 1, "type": type_, "device": self.device, "seq": self.seq,
                 "time": int(time.time() * 1000), "body": body}
        self.sock.send(json.dumps(frame, separators=(",", ":")).encode())  # one frame, no delimiter

    def send_reliably(self, type_, body):
        """Detections and events: kept and resent until acknowledged (at-least-once)."""
        key = (body.get("detection") or body)["id"]
        self.unacked[key] = [type_, body, time.monotonic()]
        self.send(type_, body)

    def tick(self):
        """Heartbeats on time, resends when overdue."""
        now = time.monotonic()
        if now - self.last_heartbeat >= self.heartbeat_interval:
            self.send("heartbeat", {})
            self.last_heartbeat = now
        for item in self.unacked.values():
            if now - item[2] >= RESEND_AFTER:
                self.send(item[0], item[1])
                item[2] = now

    def poll(self, timeout_s):
        """Handles what arrives within timeout_s; returns False when the flight is over."""
        deadline = time.monotonic() + timeout_s
        while True:
            self.tick()
            left = deadline - time.monotonic()
            if left <= 0:
                return True
            if not self.sock.poll(int(min(left, 0.2) * 1000)):
                continue
            msg = json.loads(self.sock.recv())
            if not self.handle(msg):
                return False

    def handle(self, msg):
        type_, body = msg["type"], msg.get("body") or {}
        if type_ == "welcome":
            self.heartbeat_interval = body["heartbeat_interval"]
            print("welcomed, session", body["session"])
        elif type_ == "mission_upload":
            checksum = route_checksum(body["route"])
            ok = checksum == body["checksum"]
            self.flights[body["flight_id"]] = body["route"]
            ack = {"flight_id": body["flight_id"], "accepted": ok, "checksum": checksum}
            if not ok:
                ack["reason"] = "checksum mismatch"
            self.send("mission_ack", ack)
            print("mission", body["flight_id"], "checksum", checksum, "accepted" if ok else "REFUSED")
        elif type_ == "command":
            known = body.get("flight_id") in self.flights
            reason = None if known else "unknown flight"
            if known and body["action"] == "go_to" and body.get("altitude_reference") not in ("takeoff", "amsl"):
                reason = "no terrain sensor: give the altitude as takeoff or amsl"  # agl needs one
            ack = {"command_id": body["id"], "accepted": reason is None}
            if reason:
                ack["reason"] = reason
            self.send("command_ack", ack)
            if reason is None and body["action"] == "go_to":
                print("go to", body["position"], "at", body["altitude"], "m", body["altitude_reference"], "and hold")
            if known and body["action"] == "start":
                return self.fly(body["flight_id"])
        elif type_ in ("detection_ack", "event_ack"):
            self.unacked.pop(body.get("detection_id") or body.get("event_id"), None)
            if type_ == "event_ack" and body["event_id"].endswith("/landed") and not self.unacked:
                return False
        elif type_ == "error":
            print("coordinator refused message", body.get("ref_sequence"), body["code"], body["message"])
        return True  # heartbeat echoes and anything else: nothing to do

    def fly(self, flight):
        waypoints = self.flights[flight]["waypoints"]
        self.send_reliably("event", {"id": self.device + "/" + flight + "/took_off", "kind": "took_off", "flight_id": flight})
        for i, w in enumerate(waypoints):
            state = {"takeoff": "taking_off", "land": "landing", "survey": "surveying"}.get(w["kind"], "transit")
            self.send("telemetry", {"flight_id": flight, "telemetry": {
                "time": int(time.time() * 1000), "position": w["position"], "altitude": w["altitude"],
                "heading": 0.0, "speed": w["speed"], "battery": round(1 - 0.5 * i / len(waypoints), 3),
                "state": state, "waypoint_index": i}})
            if i == len(waypoints) // 2:
                self.send_reliably("detection", {"flight_id": flight, "detection": {
                    "id": self.device + "/" + flight + "/det-1", "time": int(time.time() * 1000), "kind": "smoke",
                    "confidence": 0.87, "position": w["position"], "position_error": 7.5}})
            if not self.poll(0.01):
                return False
        self.send_reliably("event", {"id": self.device + "/" + flight + "/landed", "kind": "landed", "flight_id": flight})
        print("flew", len(waypoints), "waypoints; landed")
        return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("endpoint")
    parser.add_argument("--device", default="drone-1")
    parser.add_argument("--keys", help="keys directory: run CURVE")
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    device = Device(args.endpoint, args.device, args.keys)
    device.send("hello", {"protocol_version": 1, "kind": "drone", "capabilities": ["detect.smoke"]})
    device.last_heartbeat = time.monotonic()
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if not device.poll(0.5):
            print("flight done, everything acknowledged")
            device.sock.close()
            return 0
    print("timed out", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
