#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/<fuzzer>/ (README.md). Run from anywhere:
python3 fuzz/make_corpus.py. The seeds are small valid inputs in each harness's layout; the
harnesses read their settings from the END of the input, first byte taken = last byte."""
import base64
import hashlib
import hmac
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def tail(*taken):
    """Settings bytes in the order the harness takes them (from the back)."""
    return bytes(reversed(taken))


def u64(value):
    """Eight bytes as InputTail::u64 takes them (most significant first)."""
    return [(value >> (8 * (7 - i))) & 0xFF for i in range(8)]


def write(fuzzer, name, data):
    folder = os.path.join(HERE, "corpus", fuzzer)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# --- aws_chunked_fuzz ------------------------------------------------------------------
def hmac_sha256(key, msg):
    return hmac.new(key, msg, hashlib.sha256).digest()


def signing_key(secret, date, region="us-east-1", service="s3"):
    key = hmac_sha256(b"AWS4" + secret, date)
    for part in (region, service, "aws4_request"):
        key = hmac_sha256(key, part.encode())
    return key


KEY = signing_key(b"secret", b"20250301")
DATE = "20250301T120000Z"
SCOPE = "20250301/us-east-1/s3/aws4_request"
SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
EMPTY = hashlib.sha256(b"").hexdigest()


def sign(algorithm, previous, tail_text):
    text = "\n".join([algorithm, DATE, SCOPE, previous, tail_text])
    return hmac.new(KEY, text.encode(), hashlib.sha256).hexdigest()


def signed_body(payload, chunk, trailers=None):
    out, previous = b"", SEED
    pieces = [payload[i:i + chunk] for i in range(0, len(payload), chunk)] + [b""]
    for data in pieces:
        previous = sign("AWS4-HMAC-SHA256-PAYLOAD", previous,
                        EMPTY + "\n" + hashlib.sha256(data).hexdigest())
        out += b"%x;chunk-signature=%s\r\n" % (len(data), previous.encode())
        if data:
            out += data + b"\r\n"
    if trailers is None:
        return out + b"\r\n"
    canonical = "".join(f"{n}:{v}\n" for n, v in trailers)
    out += "".join(f"{n}:{v}\r\n" for n, v in trailers).encode()
    signature = sign("AWS4-HMAC-SHA256-TRAILER", previous,
                     hashlib.sha256(canonical.encode()).hexdigest())
    return out + b"x-amz-trailer-signature:" + signature.encode() + b"\r\n\r\n"


def chunked_settings(mode, flags=0, number=0, pieces=(255,), reads=(255,)):
    return tail(mode, flags, *u64(number), len(pieces) - 1, *pieces, len(reads) - 1, *reads)


payload = b"hello, aws-chunked world! " * 3
write("aws_chunked_fuzz", "signed", signed_body(payload, 32) + chunked_settings(0))
write("aws_chunked_fuzz", "signed_trailer",
      signed_body(payload, 40, [("x-amz-checksum-crc32", "AAAAAA==")]) +
      chunked_settings(1, pieces=(7, 200), reads=(3, 0x81)))
write("aws_chunked_fuzz", "unsigned_trailer",
      b"5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n" +
      chunked_settings(2, flags=1, number=11))
write("aws_chunked_fuzz", "plain", b"3\r\nabc\r\n0\r\n\r\n" + chunked_settings(3))
write("aws_chunked_fuzz", "harness_signed",
      b"payload the harness signs itself" + chunked_settings(0x80, flags=0x13, number=9))

# --- form_data_fuzz --------------------------------------------------------------------
BOUNDARY = b"----WebKitFormBoundary7MA4YWxkTrZu0gW"


def form(boundary, parts):
    out = b""
    for headers, content in parts:
        out += b"--" + boundary + b"\r\n" + headers + b"\r\n\r\n" + content + b"\r\n"
    return out + b"--" + boundary + b"--\r\n"


def form_settings(choice, flags=0xFF, pieces=(255,), reads=(255,)):
    return tail(choice, flags, len(pieces) - 1, *pieces, len(reads) - 1, *reads)


post = form(BOUNDARY, [
    (b'Content-Disposition: form-data; name="key"', b"uploads/${filename}"),
    (b'Content-Disposition: form-data; name="policy"', b"eyJleHBpcmF0aW9uIjoiIn0="),
    (b'Content-Disposition: form-data; name="file"; filename="a.txt"\r\n'
     b"Content-Type: text/plain", b"file contents\r\n--not-the-boundary\r\n"),
])
write("form_data_fuzz", "browser_form", post + form_settings(0))
write("form_data_fuzz", "short_boundary",
      form(b"b", [(b'content-disposition: form-data; name=x', b"1"),
                  (b'Content-Disposition: form-data; name="file"; filename=f', b"\r\n\r\n")]) +
      form_settings(1, flags=0x1B, pieces=(1, 3), reads=(1, 2, 0x82)))
write("form_data_fuzz", "content_type_line",
      b"multipart/form-data; boundary=XyZ\r\n" +
      form(b"XyZ", [(b'Content-Disposition: form-data; name="a"', b"value")]) +
      form_settings(0xC0))

# --- request_parsing_fuzz --------------------------------------------------------------
def request(method, target, headers, etag=b"", size=0, mtime=0):
    text = method + b"\n" + target + b"\n"
    text += b"".join(n + b": " + v + b"\n" for n, v in headers) + b"\n" + etag + b"\n"
    return text + tail(*u64(size), *u64(mtime))


write("request_parsing_fuzz", "get_range",
      request(b"GET", b"/bucket/photos/a%20b.jpg?versionId=null",
              [(b"Host", b"localhost:9000"), (b"Range", b"bytes=0-99"),
               (b"If-None-Match", b'"abc", W/"def"'),
               (b"If-Modified-Since", b"Wed, 21 Oct 2015 07:28:00 GMT")],
              b"abc", 1000, 1445412480 * 10**9))
write("request_parsing_fuzz", "put_tagging",
      request(b"PUT", b"/key?tagging=&uploadId=x&partNumber=1",
              [(b"Host", b"bucket.s3.example.com"), (b"x-amz-tagging", b"a=1&b=%E2%82%AC"),
               (b"x-amz-meta-colour", b"blue"), (b"Content-MD5", b"1B2M2Y8AsgTpgAmY7PhCfg=="),
               (b"x-amz-copy-source-if-unmodified-since", b"Sunday, 06-Nov-94 08:49:37 GMT"),
               (b"Range", b"bytes=-5")], b"e-2", 7))
write("request_parsing_fuzz", "post_form",
      request(b"POST", b"/bucket?delete", [(b"Content-Type", b"multipart/form-data; boundary=x"),
                                           (b"Date", b"Sun Nov  6 08:49:37 1994"),
                                           (b"x-amz-date", b"20130524T000000Z"),
                                           (b"Expires", b"2009-10-12T17:50:30.000Z")]))

# --- xml_fuzz --------------------------------------------------------------------------
write("xml_fuzz", "cors",
      b'<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule>'
      b"<ID>r1</ID><AllowedOrigin>https://*.example.com</AllowedOrigin>"
      b"<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>"
      b"<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader>"
      b"<MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule><CORSRule>"
      b"<AllowedOrigin>http://localhost</AllowedOrigin><AllowedMethod>HEAD</AllowedMethod>"
      b"</CORSRule></CORSConfiguration>" + tail(0))
write("xml_fuzz", "delete",
      b'<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>true</Quiet>'
      b"<Object><Key>a.txt</Key></Object><Object><Key>b</Key><VersionId>null</VersionId>"
      b"</Object></Delete>" + tail(1))
write("xml_fuzz", "complete",
      b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"e1\"</ETag>"
      b"<ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part><Part><PartNumber>2</PartNumber>"
      b"<ETag>e2</ETag></Part></CompleteMultipartUpload>" + tail(2))
write("xml_fuzz", "tagging",
      b"<s3:Tagging xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\"><s3:TagSet>"
      b"<s3:Tag><s3:Key>project</s3:Key><s3:Value>&lt;x&gt;</s3:Value></s3:Tag>"
      b"</s3:TagSet></s3:Tagging>" + tail(3))

# --- sigv4_fuzz ------------------------------------------------------------------------
AUTH = (b"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        b"SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
        b"Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
EMPTY_B = EMPTY.encode()


def auth_settings(mode, flags=0, number=0):
    return tail(mode, flags, *u64(number))


write("sigv4_fuzz", "header_doc_example",
      b"GET\n/test.txt\nHost: examplebucket.s3.amazonaws.com\nRange: bytes=0-9\n"
      b"x-amz-content-sha256: " + EMPTY_B + b"\nx-amz-date: 20130524T000000Z\n"
      b"Authorization: " + AUTH + b"\n\n" + auth_settings(0))
write("sigv4_fuzz", "presigned_doc_example",
      b"GET\n/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE"
      b"%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&"
      b"X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature="
      b"aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404\n"
      b"Host: examplebucket.s3.amazonaws.com\n\n" + auth_settings(0))
write("sigv4_fuzz", "harness_signed_header",
      b"PUT\n/bucket/a%20key+x?uploadId=abc&partNumber=2\nHost: localhost:9000\n"
      b"x-amz-meta-a:   spaced   value  \ncontent-md5: 1B2M2Y8AsgTpgAmY7PhCfg==\n\n" +
      auth_settings(1, flags=2, number=30 << 32))
write("sigv4_fuzz", "harness_presigned",
      b"GET\n/bucket/k%2Fey?response-content-type=text%2Fplain&x=a+b\nHost: [::1]:9000\n\n" +
      auth_settings(2, number=(3600 | (60 << 32))))
# Modes 5 and 6: signed / pre-signed, then one unsigned x-amz-* header added (after the empty
# line); verify must refuse them.
write("sigv4_fuzz", "harness_signed_unsigned_header",
      b"PUT\n/bucket/key\nHost: localhost:9000\nx-amz-meta-a: signed\n\n"
      b"x-amz-copy-source: /other-bucket/secret\n" + auth_settings(5, number=30 << 32))
write("sigv4_fuzz", "harness_presigned_unsigned_header",
      b"GET\n/bucket/key\nHost: localhost:9000\n\nx-amz-meta-x: 1\n" +
      auth_settings(6, number=(3600 | (60 << 32))))
FIELDS = (b"key:uploads/${filename}\nbucket:bucket\nContent-Type:image/png\n"
          b"x-ignore-me:1\nsuccess_action_status:201\n")
write("sigv4_fuzz", "post_policy_signed",
      FIELDS + b"\n" +
      b'{"expiration": "2030-01-01T00:00:00.000Z", "conditions": [{"bucket": "bucket"},'
      b' ["starts-with", "$key", "uploads/"], ["eq", "$success_action_status", "201"],'
      b' ["starts-with", "$Content-Type", "image/"], ["content-length-range", 1, "1048576"],'
      b' {"x-amz-algorithm": "AWS4-HMAC-SHA256"}, {"x-amz-date": "20130524T000000Z"},'
      b' {"x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"}]}' +
      auth_settings(4, flags=1))
policy = base64.b64encode(b'{"expiration": "2030-01-01T00:00:00Z", "conditions": []}')
write("sigv4_fuzz", "post_policy_raw",
      b"policy:" + policy + b"\nx-amz-algorithm:AWS4-HMAC-SHA256\n"
      b"X-Amz-Credential:AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request\n"
      b"x-amz-date:20130524T000000Z\nx-amz-signature:" + b"0" * 64 + b"\n\n" +
      auth_settings(3))


# --- http_framing_fuzz -----------------------------------------------------------------
def framing_settings(pieces=()):
    """N, then N piece sizes (as http_framing_fuzz takes them from the back)."""
    return tail(len(pieces), *pieces)


SMUGGLED = b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
FRAMING_SEEDS = {
    "get_host": (b"GET /b/k?x=1 HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\n", (3, 7)),
    "put_content_length": (b"PUT /b/k HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", (1,)),
    "put_chunked_trailer": (b"PUT /b/k HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                            b"5;e=1\r\nhello\r\n0\r\nX-T: v\r\n\r\n", (2, 5)),
    "get_http10": (b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", ()),
    "smuggle_te_gzip": (b"POST /probe HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"
                        + SMUGGLED, (4,)),
    "smuggle_te_gzip_cl0": (b"POST /probe HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
                            b"Content-Length: 0\r\n\r\n" + SMUGGLED, ()),
    "smuggle_te_chunked_identity": (b"POST /probe HTTP/1.1\r\nHost: x\r\n"
                                    b"Transfer-Encoding: chunked, identity\r\n\r\n" + SMUGGLED,
                                    (9,)),
    "smuggle_cl_te": (b"POST /probe HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED, ()),
    "smuggle_obs_fold": (b"POST /probe HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n"
                         b"Content-Length: 0\r\n\r\n" + SMUGGLED, (1,)),
    "smuggle_cl_list": (b"POST /probe HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello"
                        + SMUGGLED, ()),
    "smuggle_cl_twice": (b"POST /probe HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                         b"Content-Length: 5\r\n\r\nhello" + SMUGGLED, (6,)),
    "smuggle_no_host": (b"GET /probe HTTP/1.1\r\n\r\n" + SMUGGLED, ()),
    "smuggle_te_http10": (b"POST /probe HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                          + SMUGGLED, (2,)),
}
for name, (wire, pieces) in FRAMING_SEEDS.items():
    write("http_framing_fuzz", name, wire + framing_settings(pieces))


# --- policy_fuzz -------------------------------------------------------------------------
# The document, "\n--\n", action / resource / key=value lines; from the back: policy kind
# (0 identity, 1 resource, 2 trust, 3 session) and caller (0 alice, 1 root, 2 anonymous,
# 3 role session, 4 another account).
POLICY_SEEDS = {
    "home_folder": (b'{"Version":"2012-10-17","Statement":[{"Sid":"List","Effect":"Allow",'
                    b'"Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":'
                    b'{"StringLike":{"s3:prefix":["","home/${aws:username}/*"]}}},'
                    b'{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],'
                    b'"Resource":"arn:aws:s3:::b/home/${aws:username}/*"}]}'
                    b"\n--\ns3:ListBucket\narn:aws:s3:::b\ns3:prefix=home/alice/\n", 0, 0),
    "bucket_public_https": (b'{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
                            b'"Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},'
                            b'{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*",'
                            b'"Resource":"arn:aws:s3:::b/*","Condition":{"Bool":'
                            b'{"aws:SecureTransport":"false"},"NotIpAddress":{"aws:SourceIp":'
                            b'["10.0.0.0/8","2001:db8::/32"]}}}]}'
                            b"\n--\ns3:GetObject\narn:aws:s3:::b/k\naws:securetransport=false\n"
                            b"aws:sourceip=192.0.2.1\n", 1, 2),
    "trust_role": (b'{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":'
                   b'["arn:aws:iam::123456789012:user/alice","arn:aws:iam::123456789012:role/reader"]},'
                   b'"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"},'
                   b'"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}}'
                   b"\n--\nsts:AssumeRole\n*\nsts:externalid=x\naws:currenttime=2026-12-06T10:00:00Z\n",
                   2, 0),
    "session_sets": (b'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*",'
                     b'"NotResource":"arn:aws:s3:::secret/*","Condition":{'
                     b'"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]},'
                     b'"ForAnyValue:StringLike":{"aws:TagKeys":"a*"},'
                     b'"NumericLessThanEqualsIfExists":{"s3:max-keys":"10"},'
                     b'"Null":{"s3:x-amz-acl":"true"},"ArnLike":{"aws:PrincipalArn":'
                     b'"arn:aws:iam::*:role/*"}}}]}'
                     b"\n--\ns3:PutObject\narn:aws:s3:::b/${*}\naws:tagkeys=a\naws:tagkeys=b\n",
                     3, 3),
}
for name, (text, kind, caller) in POLICY_SEEDS.items():
    write("policy_fuzz", name, text + tail(kind, caller))
