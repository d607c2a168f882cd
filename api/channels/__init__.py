"""Channels: each converts its platform's messages to the one internal message model and calls the chat service."""
