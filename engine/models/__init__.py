"""Learned models and their runtimes: the CLIP dual encoder, the reranking matcher,
downloads from the Hugging Face Hub.
"""
