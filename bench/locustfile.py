"""The mixed workload of bench/load.py, for locust: staff of 20 tenants browsing,
searching, creating customers and writing quotes (bench only).

Each simulated user belongs to one tenant (KEHU_LOAD_TENANTS slugs, round robin),
logs in once through the real form (CSRF on, as in production), then picks tasks
by weight. Requests are named by endpoint so locust reports one line each.
"""
import itertools
import os
import random
import re

from locust import HttpUser, between, task

SLUGS = os.environ.get("KEHU_LOAD_TENANTS", "").split(",")
PASSWORD = os.environ.get("KEHU_LOAD_PASSWORD", "")
WORDS = ["家具", "Acme", "贸易", "Trading", "沙发", "Steel", "木业", "Home"]
_next_tenant = itertools.cycle(SLUGS)
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class TenantStaff(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        self.slug = next(_next_tenant)
        self.base = f"/t/{self.slug}"
        token = self._token(f"{self.base}/login", "login form")
        with self.client.post(f"{self.base}/login", name="POST login", allow_redirects=False,
                              data={"csrf_token": token, "email": f"owner@{self.slug}.example",
                                    "password": PASSWORD}, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"log-in answered {response.status_code}")

    def _token(self, path, name):
        page = self.client.get(path, name=f"GET {name}").text
        match = _TOKEN.search(page)
        return match.group(1) if match else ""

    @task(4)
    def browse(self):
        self.client.get(f"{self.base}/", name="GET dashboard")
        page = self.client.get(f"{self.base}/customers/", name="GET customer list").text
        ids = re.findall(rf"{self.base}/customers/(\d+)\"", page)
        if ids:
            self.client.get(f"{self.base}/customers/{random.choice(ids)}", name="GET customer 360")

    @task(3)
    def search(self):
        q = random.choice(WORDS)
        self.client.get(f"{self.base}/search/?q={q}", name="GET search box")
        self.client.get(f"{self.base}/customers/?q={q}", name="GET customer list search")

    @task(1)
    def create(self):
        token = self._token(f"{self.base}/customers/new", "customer form")
        with self.client.post(f"{self.base}/customers/new", name="POST new customer",
                              allow_redirects=False, catch_response=True, data={
                                  "csrf_token": token, "name": f"负载测试 {random.randrange(10**9)}",
                                  "kind": "company", "type": "customer", "currency": "CNY",
                                  "tier": "", "confirm_duplicate": "1"}) as response:
            if response.status_code != 302:
                response.failure(f"create answered {response.status_code}")

    @task(1)
    def quote(self):
        token = self._token(f"{self.base}/quotes/new", "quote form")
        with self.client.post(f"{self.base}/quotes/new", name="POST new quote",
                              allow_redirects=False, catch_response=True, data={
                                  "csrf_token": token, "customer_code": "C000001",
                                  "currency": "CNY", "discount_percent": "0", "contact": "0",
                                  "line_code": ["LOAD-1", "LOAD-2"], "line_quantity": ["1", "2"],
                                  "line_price": ["", ""], "line_discount": ["", ""]}) as response:
            if response.status_code != 302:
                response.failure(f"quote answered {response.status_code}")
                return
        self.client.get(response.headers["Location"], name="GET quote")
