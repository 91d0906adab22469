#!/usr/bin/env python3
"""Adapts Kueue's rendered install (kubectl kustomize of its config/components) to the shared local cluster.

usage: kubectl kustomize DIR | kueue-manifests.py CA.crt | kubectl apply -f -

- Admission webhooks: only those of Kueue's own objects and of batch/v1 Jobs stay (the Pod, Deployment and
  StatefulSet ones would stop every pod on the cluster while Kueue is down), and the Job ones see only Jobs that
  carry a queue-name label: other users' Jobs never wait for Kueue.
- Every webhook (admission and CRD conversion) trusts CA.crt, which signed the serving certificate ci/cluster made
  with openssl (Kueue's own certificate management is off).
"""
import base64
import sys

import yaml

QUEUE_LABEL = "kueue.x-k8s.io/queue-name"


def touches(webhook, group, resource=None):
    return any(
        group in rule.get("apiGroups", []) and (resource is None or resource in rule.get("resources", []))
        for rule in webhook.get("rules", [])
    )


def adapt_webhooks(config, ca_bundle):
    kept = []
    for webhook in config.get("webhooks", []):
        is_job = touches(webhook, "batch", "jobs")
        if not (is_job or touches(webhook, "kueue.x-k8s.io")):
            continue
        if is_job:
            webhook["objectSelector"] = {"matchExpressions": [{"key": QUEUE_LABEL, "operator": "Exists"}]}
        webhook["clientConfig"]["caBundle"] = ca_bundle
        kept.append(webhook)
    config["webhooks"] = kept


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.splitlines()[2])
    with open(sys.argv[1], "rb") as ca:
        ca_bundle = base64.b64encode(ca.read()).decode()
    objects = [o for o in yaml.safe_load_all(sys.stdin) if o]
    for obj in objects:
        kind = obj.get("kind")
        if kind in ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"):
            adapt_webhooks(obj, ca_bundle)
        elif kind == "CustomResourceDefinition":
            conversion = obj["spec"].get("conversion", {}).get("webhook")
            if conversion:
                conversion["clientConfig"]["caBundle"] = ca_bundle
    yaml.safe_dump_all(objects, sys.stdout, sort_keys=False)


if __name__ == "__main__":
    main()
