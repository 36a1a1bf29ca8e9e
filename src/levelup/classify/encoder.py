"""A BERT sentence encoder in plain PyTorch, for the ``ml`` classifier (extra ``levelup[ml]``).

It reads a sentence-transformers model folder (``config.json``, ``model.safetensors``,
``tokenizer.json``) and returns mean-pooled, normalised embeddings: the same vectors as
``SentenceTransformer(folder).encode(..., normalize_embeddings=True)`` (within 1e-6), without
importing transformers, which costs seconds of start-up. Imported only by ``embedded.py``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer
from torch.nn import functional

MAX_TOKENS = 256  # the model's max_seq_length in sentence_bert_config.json


class Encoder:
    """all-MiniLM-L6-v2 (or any BERT of the same layout) as one function of a batch of texts."""

    def __init__(self, folder: Path) -> None:
        config = json.loads((folder / "config.json").read_text("utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.dim = int(config["hidden_size"])
        self.eps = float(config["layer_norm_eps"])
        self.weights = load_file(str(folder / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest in a batch

    def _norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        w = self.weights
        return functional.layer_norm(x, (self.dim,), w[f"{name}.weight"], w[f"{name}.bias"],
                                     self.eps)

    def _dense(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return functional.linear(x, self.weights[f"{name}.weight"], self.weights[f"{name}.bias"])

    def _layer(self, x: torch.Tensor, mask: torch.Tensor, prefix: str) -> torch.Tensor:
        """One transformer block: self-attention then the feed-forward part, post-norm."""
        n, length, _ = x.shape

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(n, length, self.heads, -1).transpose(1, 2)

        q, k, v = (split(self._dense(x, f"{prefix}attention.self.{part}"))
                   for part in ("query", "key", "value"))
        context = functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        context = context.transpose(1, 2).reshape(n, length, self.dim)
        x = self._norm(x + self._dense(context, f"{prefix}attention.output.dense"),
                       f"{prefix}attention.output.LayerNorm")
        middle = functional.gelu(self._dense(x, f"{prefix}intermediate.dense"))
        return self._norm(x + self._dense(middle, f"{prefix}output.dense"),
                          f"{prefix}output.LayerNorm")

    def encode(self, texts: Sequence[str]) -> torch.Tensor:
        """Normalised mean-pooled embeddings of ``texts``, shape (len(texts), dim)."""
        with torch.inference_mode():
            return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> torch.Tensor:
        batch = self.tokenizer.encode_batch(list(texts))
        ids = torch.tensor([item.ids for item in batch], dtype=torch.long)
        keep = torch.tensor([item.attention_mask for item in batch], dtype=torch.float32)
        w = self.weights
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][: ids.shape[1]]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._norm(x, "embeddings.LayerNorm")
        mask = ((1.0 - keep) * torch.finfo(torch.float32).min)[:, None, None, :]
        for layer in range(self.layers):
            x = self._layer(x, mask, f"encoder.layer.{layer}.")
        pooled = (x * keep[..., None]).sum(dim=1) / keep.sum(dim=1, keepdim=True).clamp(min=1e-9)
        return functional.normalize(pooled, dim=1)
