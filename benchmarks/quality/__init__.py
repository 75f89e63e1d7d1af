"""Answer quality on language nobody here wrote: blind questions, real chat, a foreign FAQ."""
