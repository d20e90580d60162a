# A server this project did not write, for UdsTemplateTests: python3's socket module on both
# stream and datagram sockets, checking the bytes and descriptors a UdsTemplate sends.
#
#   template-test-server.py PATH MODE [ARG]
#
# Stream modes (line framing): check (reply "conn=<k> len=<n> fds=<m> fd0=<first line of the
# first descriptor's file>" with a descriptor of a file containing "from-python" attached),
# half (send part of a reply, then close), close (close without replying), silent (never reply),
# big ARG (reply ARG bytes of 'x'), double (reply twice, the second 50 ms later), trickle (reply a
# byte every 150 ms). Datagram mode: dgram (reply like check to the sender, from the
# same descriptor-carrying path). Prints READY once it serves.
import array
import os
import socket
import sys
import tempfile
import time

path, mode = sys.argv[1], sys.argv[2]
arg = int(sys.argv[3]) if len(sys.argv) > 3 else 0

reply_file = tempfile.TemporaryFile()
reply_file.write(b"from-python\n")
reply_file.flush()


def describe(data, fds, conn_no):
    first = b""
    if fds:
        os.lseek(fds[0], 0, os.SEEK_SET)
        first = os.read(fds[0], 200).split(b"\n")[0]
    for fd in fds:
        os.close(fd)
    return b"conn=%d len=%d fds=%d fd0=%s" % (conn_no, len(data), len(fds), first)


if mode == "dgram":
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(path)
    print("READY", flush=True)
    while True:
        data, fds, _, addr = socket.recv_fds(server, 65536, 16)
        answer = describe(data, fds, 0)
        if addr:
            # sendmsg, not socket.send_fds: before Python 3.12 that drops its address argument
            server.sendmsg([answer], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                       array.array("i", [reply_file.fileno()]))], 0, addr)

server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(64)
print("READY", flush=True)
connections = 0
while True:
    conn, _ = server.accept()
    connections += 1
    pending = b""
    pending_fds = []
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(conn, 65536, 16)
        except OSError:
            # the client gave up on this connection (a timeout test): serve the next one
            break
        if not data:
            break
        pending += data
        pending_fds += fds
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            line_fds, pending_fds = pending_fds, []
            if mode == "check":
                # describe() reads and closes the request's descriptors
                socket.send_fds(conn, [describe(line, line_fds, connections) + b"\n"], [reply_file.fileno()])
                line_fds = []
            elif mode == "half":
                conn.sendall(b"partial reply without its end")
                time.sleep(0.2)
                conn.close()
            elif mode == "close":
                conn.close()
            elif mode == "silent":
                pass
            elif mode == "big":
                conn.sendall(b"x" * arg + b"\n")
            elif mode == "double":
                conn.sendall(line + b"\n")
                time.sleep(0.05)
                conn.sendall(b"second answer to " + line + b"\n")
            elif mode == "trickle":
                for byte in b"slowly\n":
                    conn.sendall(bytes([byte]))
                    time.sleep(0.15)
            for fd in line_fds:
                os.close(fd)
        if conn.fileno() < 0:
            break
    if conn.fileno() >= 0:
        conn.close()
