-- CreateIndex
CREATE UNIQUE INDEX "ConversationResponse_conversationId_questionId_respondentId_key" ON "ConversationResponse"("conversationId", "questionId", "respondentId");
